/** The `sessions` table: server-side records that make logout, expiry and revocation real. */
import { SQL } from 'sql-template-strings';
import type { Role } from '../domain/types.js';
import type { Db } from './db.js';

/** A live session joined with its user. */
export interface SessionUser {
  sessionId: string;
  userId: number;
  username: string;
  /** The user's role now (read with every request, so a change applies at once). */
  role: Role;
  /** When the user (not the session) was created, UTC epoch ms. */
  createdAt: number;
  expiresAt: number;
  /** Set when the request came with an API token (issue 14) instead of a session cookie. */
  token?: { id: number; name: string };
}

/** Records a session. Times UTC epoch ms. */
export async function createSession(db: Db, id: string, userId: number, now: number, expiresAt: number): Promise<void> {
  await db.run(SQL`INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (${id}, ${userId}, ${now}, ${expiresAt})`);
}

/** The session with its user, or undefined when missing or expired at `now`. */
export async function findSession(db: Db, id: string, now: number): Promise<SessionUser | undefined> {
  const row = await db.get<{ id: string; user_id: number; username: string; role: string; created_at: number; expires_at: number }>(
    SQL`SELECT s.id, s.user_id, u.username, u.role, u.created_at, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = ${id} AND s.expires_at > ${now}`,
  );
  return (
    row && {
      sessionId: row.id,
      userId: Number(row.user_id),
      username: row.username,
      role: row.role === 'viewer' ? 'viewer' : 'admin',
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    }
  );
}

/** Deletes one session (logout). */
export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.run(SQL`DELETE FROM sessions WHERE id = ${id}`);
}

/** Deletes a user's sessions except `keepId` (after a password change). */
export async function deleteOtherSessions(db: Db, userId: number, keepId: string | null): Promise<void> {
  await db.run(SQL`DELETE FROM sessions WHERE user_id = ${userId} AND id <> ${keepId ?? ''}`);
}

/** Deletes sessions expired at `now`; @returns how many. */
export async function purgeSessions(db: Db, now: number): Promise<number> {
  return (await db.run(SQL`DELETE FROM sessions WHERE expires_at <= ${now}`)).changes;
}
