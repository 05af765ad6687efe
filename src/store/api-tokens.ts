/** The `api_tokens` table (issue 14 §1). Rows hold the token's SHA-256, never the token. */
import { SQL } from 'sql-template-strings';
import type { Role } from '../domain/types.js';
import type { Db } from './db.js';

/** A token as the API lists it (no hash). Times UTC epoch ms; `lastUsedFrom` a client address. */
export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedFrom: string | null;
}

interface TokenRow {
  id: number;
  user_id: number;
  name: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  last_used_from: string | null;
}

const num = (v: number | null) => (v === null ? null : Number(v));
const toToken = (r: TokenRow): ApiToken => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  name: r.name,
  createdAt: Number(r.created_at),
  expiresAt: num(r.expires_at),
  lastUsedAt: num(r.last_used_at),
  lastUsedFrom: r.last_used_from,
});

/** Stores a token's hash. @param expiresAt UTC epoch ms or null for no expiry */
export async function createApiToken(db: Db, userId: number, name: string, hash: string, now: number, expiresAt: number | null): Promise<ApiToken> {
  const r = await db.run(SQL`INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (${userId}, ${name}, ${hash}, ${now}, ${expiresAt})`);
  return { id: r.lastId, userId, name, createdAt: now, expiresAt, lastUsedAt: null, lastUsedFrom: null };
}

/** A user's tokens, newest first (expired ones too, so the owner sees them lapse). */
export async function listApiTokens(db: Db, userId: number): Promise<ApiToken[]> {
  return (await db.all<TokenRow>(SQL`SELECT * FROM api_tokens WHERE user_id = ${userId} ORDER BY created_at DESC, id DESC`)).map(toToken);
}

/** Every user's tokens with the owner's username, newest first (for admins). */
export async function listAllApiTokens(db: Db): Promise<(ApiToken & { username: string })[]> {
  const rows = await db.all<TokenRow & { username: string }>(SQL`SELECT t.*, u.username FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.created_at DESC, t.id DESC`);
  return rows.map((r) => ({ ...toToken(r), username: r.username }));
}

/** A token by id, of `userId` only unless that is null (an admin's look-up), or undefined. */
export async function getApiToken(db: Db, userId: number | null, id: number): Promise<ApiToken | undefined> {
  const q = SQL`SELECT * FROM api_tokens WHERE id = ${id}`;
  if (userId !== null) q.append(SQL` AND user_id = ${userId}`);
  const r = await db.get<TokenRow>(q);
  return r && toToken(r);
}

/** Deletes (revokes) a token by id; @returns false when there was none. */
export async function deleteApiToken(db: Db, id: number): Promise<boolean> {
  return (await db.run(SQL`DELETE FROM api_tokens WHERE id = ${id}`)).changes > 0;
}

/** The user a live token acts for: the user's role now, read with every request. */
export interface TokenUser {
  tokenId: number;
  tokenName: string;
  userId: number;
  username: string;
  role: Role;
  userCreatedAt: number;
}

/** The token with this hash and its user, or undefined when unknown or expired at `now` (UTC epoch ms). */
export async function findTokenUser(db: Db, hash: string, now: number): Promise<TokenUser | undefined> {
  const r = await db.get<{ id: number; name: string; user_id: number; username: string; role: string; created_at: number }>(
    SQL`SELECT t.id, t.name, t.user_id, u.username, u.role, u.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ${hash} AND (t.expires_at IS NULL OR t.expires_at > ${now})`,
  );
  return r && { tokenId: Number(r.id), tokenName: r.name, userId: Number(r.user_id), username: r.username, role: r.role === 'viewer' ? 'viewer' : 'admin', userCreatedAt: Number(r.created_at) };
}

/** Records a use: time (UTC epoch ms) and client address. */
export async function touchApiToken(db: Db, id: number, now: number, client: string): Promise<void> {
  await db.run(SQL`UPDATE api_tokens SET last_used_at = ${now}, last_used_from = ${client.slice(0, 64)} WHERE id = ${id}`);
}
