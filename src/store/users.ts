/** The `users` table. Every function takes the {@link Db} first. Hashes never leave this module's callers' scope via the API. */
import { contains } from './like.js';
import { SQL } from 'sql-template-strings';
import type { Role, User } from '../domain/types.js';
import type { Db } from './db.js';
import { UNUSABLE_PASSWORD_HASH } from '../auth/password.js';

/** A `users` row as stored. */
export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  created_at: number;
  updated_at: number;
}

/** Converts a row to the API shape (drops the hash). */
export function toUser(r: UserRow): User {
  return { id: Number(r.id), username: r.username, role: r.role === 'viewer' ? 'viewer' : 'admin', createdAt: Number(r.created_at) };
}

/** Lists users by username; `q` is a case-insensitive substring of the username. */
export async function listUsers(db: Db, q?: string): Promise<User[]> {
  const query = SQL`SELECT * FROM users`;
  const term = q?.trim();
  if (term) query.append(' WHERE ').append(contains(db.dialect, 'username', term));
  query.append(SQL` ORDER BY username, id`);
  return (await db.all<UserRow>(query)).map(toUser);
}

/**
 * Number of users. `lock` (inside a transaction) makes a concurrent locking count wait until this
 * transaction ends, so two "is this the last user?" checks cannot both pass (MySQL `FOR UPDATE`;
 * SQLite transactions are already exclusive).
 */
export async function countUsers(db: Db, opts: { lock?: boolean } = {}): Promise<number> {
  const q = SQL`SELECT COUNT(*) AS n FROM users`;
  if (opts.lock && db.dialect === 'mysql') q.append(' FOR UPDATE');
  const row = await db.get<{ n: number }>(q);
  return Number(row?.n ?? 0);
}

/**
 * Number of admins who can log in (role admin, a usable password: not {@link UNUSABLE_PASSWORD_HASH});
 * `lock` as in {@link countUsers} (for "is this the last admin?").
 */
export async function countAdmins(db: Db, opts: { lock?: boolean } = {}): Promise<number> {
  const q = SQL`SELECT COUNT(*) AS n FROM users WHERE role = ${'admin'} AND password_hash <> ${UNUSABLE_PASSWORD_HASH}`;
  if (opts.lock && db.dialect === 'mysql') q.append(' FOR UPDATE');
  const row = await db.get<{ n: number }>(q);
  return Number(row?.n ?? 0);
}

/** Ids of users who have no usable password yet ({@link UNUSABLE_PASSWORD_HASH}: created by an import). */
export async function lockedUserIds(db: Db): Promise<Set<number>> {
  const rows = await db.all<{ id: number }>(SQL`SELECT id FROM users WHERE password_hash = ${UNUSABLE_PASSWORD_HASH}`);
  return new Set(rows.map((r) => Number(r.id)));
}

/** One user row (with hash) by id, or undefined. */
export async function getUserRow(db: Db, id: number): Promise<UserRow | undefined> {
  return db.get<UserRow>(SQL`SELECT * FROM users WHERE id = ${id}`);
}

/**
 * The form two usernames are compared in: Unicode NFC, then lower case (full Unicode, not just
 * ASCII), so both stores treat "Émile" and "émile" as one name and nothing else as equal.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFC').toLowerCase();
}

/**
 * One user row (with hash) whose username equals `username` by {@link usernameKey}, or undefined.
 * Compared in JavaScript (the users table is small) so the engines' collations cannot widen it.
 */
export async function findUserByName(db: Db, username: string): Promise<UserRow | undefined> {
  const key = usernameKey(username);
  return (await db.all<UserRow>(SQL`SELECT * FROM users`)).find((u) => usernameKey(u.username) === key);
}

/**
 * Inserts a user. @param passwordHash from `hashPassword`; @param now UTC epoch ms; @param role default admin
 * @throws the driver's unique-key error when the username exists (callers check first)
 */
export async function createUser(db: Db, username: string, passwordHash: string, now: number, role: Role = 'admin'): Promise<User> {
  const r = await db.run(SQL`INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES (${username}, ${passwordHash}, ${role}, ${now}, ${now})`);
  return { id: r.lastId, username, role, createdAt: now };
}

/** Changes a username, password hash and/or role; @returns false when the id is unknown. */
export async function updateUser(db: Db, id: number, change: { username?: string | undefined; passwordHash?: string | undefined; role?: Role | undefined }, now: number): Promise<boolean> {
  const q = SQL`UPDATE users SET updated_at = ${now}`;
  if (change.role !== undefined) q.append(SQL`, role = ${change.role}`);
  if (change.username !== undefined) q.append(SQL`, username = ${change.username}`);
  if (change.passwordHash !== undefined) q.append(SQL`, password_hash = ${change.passwordHash}`);
  q.append(SQL` WHERE id = ${id}`);
  return (await db.run(q)).changes > 0;
}

/** Deletes a user (their sessions and API tokens go with them); @returns false when the id is unknown. */
export async function deleteUser(db: Db, id: number): Promise<boolean> {
  await db.run(SQL`DELETE FROM sessions WHERE user_id = ${id}`);
  await db.run(SQL`DELETE FROM api_tokens WHERE user_id = ${id}`);
  return (await db.run(SQL`DELETE FROM users WHERE id = ${id}`)).changes > 0;
}

/** True for the engines' duplicate-key errors (MySQL ER_DUP_ENTRY, SQLite SQLITE_CONSTRAINT_UNIQUE). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
