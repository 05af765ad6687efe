/**
 * Records audit entries for the HTTP layer (issue 14 §4): the actor is the request's user (and
 * token name, for a token request), the client address comes from client-address.ts, and the
 * fields changed from {@link fieldChanges} (secrets masked); an update that changed nothing is not recorded.
 * Given `db` (the route's transaction), the entry commits with the change and a failure to record
 * rejects, rolling the change back: no change without its record. Without `db` (a route that stores
 * its change outside a transaction), the entry is written after it and a failure is only logged.
 */
import type { Context } from 'hono';
import { fieldChanges } from '../domain/audit-diff.js';
import { clientAddress } from '../http/client-address.js';
import type { AppDeps, AppEnv } from '../http/deps.js';
import { insertAudit, type AuditAction, type AuditEntity } from '../store/audit.js';
import type { Db } from '../store/db.js';

/** What a route reports. `before`/`after`: the entity's fields before and after (null/absent for create/delete). */
export interface AuditEvent {
  action: AuditAction;
  entity: AuditEntity;
  entityId?: number | null;
  targetId?: number | null;
  before?: object | null;
  after?: object | null;
  /** Extra facts instead of a field diff (e.g. an import's counts). */
  details?: Record<string, unknown>;
  /** Who, when the request has no user yet: a login's user, or the name a failed login tried. */
  actor?: string;
  /** The user id that goes with `actor` (null for a failed login). */
  actorUserId?: number | null;
  /** The caller's transaction: the entry commits with the change (and a failure rejects). */
  db?: Db;
}

/** Records one entry for the request `c`. @throws the driver's error only when `e.db` is given */
export async function recordAudit(c: Context<AppEnv>, deps: AppDeps, e: AuditEvent): Promise<void> {
  const user = c.get('user') as AppEnv['Variables']['user'] | undefined;
  try {
    const changes = e.details ?? fieldChanges((e.before ?? null) as Record<string, unknown> | null, (e.after ?? null) as Record<string, unknown> | null);
    if (e.action === 'update' && Object.keys(changes).length === 0) return; // saved as it was: nothing changed
    await insertAudit(e.db ?? deps.db, {
      at: deps.now(),
      actor: e.actor ?? user?.username ?? 'anonymous',
      actorUserId: e.actor !== undefined ? (e.actorUserId ?? null) : (user?.userId ?? null),
      tokenName: user?.token?.name ?? null,
      client: clientAddress(c, deps.config.trustProxy),
      action: e.action,
      entity: e.entity,
      entityId: e.entityId ?? null,
      targetId: e.targetId ?? (e.entity === 'target' ? (e.entityId ?? null) : null),
      changes,
    });
  } catch (err) {
    if (e.db) throw err;
    deps.log.error({ err, audit: { action: e.action, entity: e.entity, entityId: e.entityId } }, 'audit entry not recorded');
  }
}
