/** The `audit_log` table (issue 14 §4): who changed what, when (UTC epoch ms) and from where. */
import { SQL } from 'sql-template-strings';
import type { FieldChange } from '../domain/audit-diff.js';
import type { Db } from './db.js';

/** What an entry is about. */
export type AuditEntity = 'target' | 'user' | 'token' | 'session' | 'config' | 'channel';
/** What happened. `login_failed` has the tried username as actor and no user id. */
export type AuditAction = 'create' | 'update' | 'delete' | 'login' | 'login_failed' | 'import';

/** An entry to record. */
export interface AuditInput {
  at: number;
  /** Username (for a token request, the token's owner), or the tried name of a failed login. */
  actor: string;
  actorUserId: number | null;
  /** Name of the API token the request used, or null for a session. */
  tokenName: string | null;
  client: string;
  action: AuditAction;
  entity: AuditEntity;
  entityId: number | null;
  /** The target the entry is about (targets; null otherwise), for the target's "History of changes". */
  targetId: number | null;
  changes: Record<string, FieldChange> | Record<string, unknown> | null;
}

/** A stored entry as the API returns it. */
export interface AuditEntry extends AuditInput {
  id: number;
}

interface Row {
  id: number;
  at: number;
  actor: string;
  actor_user_id: number | null;
  token_name: string | null;
  client: string;
  action: AuditAction;
  entity: AuditEntity;
  entity_id: number | null;
  target_id: number | null;
  changes: string | null;
}

const n = (v: number | null) => (v === null ? null : Number(v));

/** Inserts an entry. */
export async function insertAudit(db: Db, e: AuditInput): Promise<void> {
  const changes = e.changes === null ? null : JSON.stringify(e.changes);
  await db.run(SQL`INSERT INTO audit_log (at, actor, actor_user_id, token_name, client, action, entity, entity_id, target_id, changes)
    VALUES (${e.at}, ${e.actor.slice(0, 200)}, ${e.actorUserId}, ${e.tokenName}, ${e.client.slice(0, 64)}, ${e.action}, ${e.entity}, ${e.entityId}, ${e.targetId}, ${changes})`);
}

/** Filter of {@link queryAudit}: times UTC epoch ms (`from` inclusive, `to` exclusive); `actor` exact username. */
export interface AuditFilter {
  from?: number | undefined;
  to?: number | undefined;
  actor?: string | undefined;
  targetId?: number | undefined;
  /** Entries with an id below this one (the previous page's `next`). */
  before?: number | undefined;
  limit: number;
}

/**
 * Entries newest first, at most `limit`, and the cursor of the next page (null on the last).
 * Paged by id (ids grow with time), so entries written meanwhile never shift a page.
 */
export async function queryAudit(db: Db, f: AuditFilter): Promise<{ entries: AuditEntry[]; next: number | null }> {
  const q = SQL`SELECT * FROM audit_log WHERE 1 = 1`;
  if (f.from !== undefined) q.append(SQL` AND at >= ${f.from}`);
  if (f.to !== undefined) q.append(SQL` AND at < ${f.to}`);
  if (f.actor !== undefined) q.append(SQL` AND actor = ${f.actor}`);
  if (f.targetId !== undefined) q.append(SQL` AND target_id = ${f.targetId}`);
  if (f.before !== undefined) q.append(SQL` AND id < ${f.before}`);
  q.append(SQL` ORDER BY id DESC LIMIT ${f.limit + 1}`);
  const rows = await db.all<Row>(q);
  const page = rows.slice(0, f.limit).map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
    actor: r.actor,
    actorUserId: n(r.actor_user_id),
    tokenName: r.token_name,
    client: r.client,
    action: r.action,
    entity: r.entity,
    entityId: n(r.entity_id),
    targetId: n(r.target_id),
    changes: r.changes === null ? null : (JSON.parse(r.changes) as Record<string, FieldChange>),
  }));
  return { entries: page, next: rows.length > f.limit ? page[page.length - 1]!.id : null };
}

/** Deletes entries older than `before` (UTC epoch ms); @returns how many went. */
export async function purgeAudit(db: Db, before: number): Promise<number> {
  return (await db.run(SQL`DELETE FROM audit_log WHERE at < ${before}`)).changes;
}
