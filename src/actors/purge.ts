/**
 * Purge actors: every 60 s, one deletes each target's results older than its retention (and the
 * results of deleted targets) in chunks, yielding between chunks so the API stays responsive,
 * and keeps the rollups exact (whole expired buckets deleted, the bucket at the cut-off trimmed by
 * exactly the rows removed, see rollup-trim.ts); the other deletes expired sessions.
 */
import { dispatch, spawn, type ActorSystemRef, type Ref } from 'nact';
import type { Logger } from 'pino';
import { retentionCutoff } from '../domain/retention.js';
import type { Db } from '../store/db.js';
import { purgeDeliveries } from '../store/deliveries.js';
import { deleteTargetEvents, eventTargetIds, purgeEvents } from '../store/events.js';
import { purgeRollups, rolledTargetIds } from '../store/rollups.js';
import { trimAtCutoff } from '../store/rollup-trim.js';
import { purgeAudit } from '../store/audit.js';
import { purgeSessions } from '../store/sessions.js';
import { listTargets } from '../store/targets.js';

const HOUR_MS = 3_600_000;

/** How long finished deliveries stay in the delivery log (issue 11), ms: 30 days. */
export const DELIVERY_LOG_MS = 30 * 86_400_000;

/** Rows one DELETE removes at most. */
export const PURGE_CHUNK = 5000;

/** Message both purge actors take; `done` reports how many rows went. */
export type PurgeMsg = { kind: 'purge'; now?: number; done?: (deleted: number, err?: Error) => void };

const yieldToOthers = () => new Promise((r) => setImmediate(r));

/**
 * Deletes results (raw and rollups) past each target's retention, and all results of targets
 * that no longer exist. Afterwards every history answer equals what the remaining raw rows give:
 * raw rows of whole expired hours go in chunks with their buckets, the rest of the hour holding the
 * cut-off goes in one transaction with its share of that hour's and minute's buckets.
 * @param now UTC epoch ms; @returns rows deleted
 */
export async function purgeHistory(db: Db, now: number): Promise<number> {
  const targets = await listTargets(db);
  const cutoffs = new Map(targets.map((t) => [t.id, retentionCutoff(now, t.retentionValue, t.retentionUnit)]));
  for (const id of await rolledTargetIds(db)) {
    if (!cutoffs.has(id)) cutoffs.set(id, Number.MAX_SAFE_INTEGER);
  }

  let deleted = 0;
  // state changes follow the target's retention (issue 11); a deleted target's go with it
  const live = new Set(targets.map((t) => t.id));
  deleted += await purgeDeliveries(db, now - DELIVERY_LOG_MS);
  for (const id of await eventTargetIds(db)) {
    deleted += live.has(id) ? await purgeEvents(db, id, cutoffs.get(id)!) : await deleteTargetEvents(db, id);
  }
  for (const [id, cutoff] of cutoffs) {
    const hourStart = cutoff - (cutoff % HOUR_MS);
    for (;;) {
      const n = await db.deleteResultsChunk(id, hourStart, PURGE_CHUNK);
      deleted += n;
      if (n < PURGE_CHUNK) break;
      await yieldToOthers();
    }
    deleted += await purgeRollups(db, id, cutoff);
    if (cutoff < now) deleted += await trimAtCutoff(db, id, cutoff);
  }
  return deleted;
}

function spawnPeriodic(parent: ActorSystemRef, name: string, done: string, everyMs: number, log: Logger, now: () => number, work: (now: number) => Promise<number>) {
  const ref: Ref<PurgeMsg> = spawn(
    parent,
    async (state: null, msg: PurgeMsg) => {
      try {
        const n = await work(msg.now ?? now());
        if (n > 0) log.info({ deleted: n }, `${name}: ${done}`);
        msg.done?.(n);
      } catch (err) {
        log.warn({ err }, `${name} failed; will try again`);
        msg.done?.(0, err as Error);
      }
      return state;
    },
    name,
    { initialState: null },
  );
  const timer = setInterval(() => dispatch(ref, { kind: 'purge' }), everyMs);
  return { ref, timer };
}

/** Default audit retention, ms: one year (issue 14 §4). */
export const AUDIT_RETENTION_MS = 365 * 86_400_000;

/**
 * Spawns the history, session and audit purge actors, which run every `everyMs` (monotonic) against
 * the wall clock `now` (UTC epoch ms); audit entries older than `auditRetentionMs` go.
 * @returns the history purger's ref (for a purge on demand) and a stop for every timer
 */
export function spawnPurgers(parent: ActorSystemRef, db: Db, log: Logger, everyMs = 60_000, now: () => number = Date.now, auditRetentionMs = AUDIT_RETENTION_MS) {
  const history = spawnPeriodic(parent, 'purge-history', 'results past retention or of deleted targets removed', everyMs, log, now, (t) => purgeHistory(db, t));
  const sessions = spawnPeriodic(parent, 'purge-sessions', 'expired sessions removed', everyMs, log, now, (t) => purgeSessions(db, t));
  dispatch(history.ref, { kind: 'purge' });
  const audit = spawnPeriodic(parent, 'purge-audit', 'audit entries past their retention removed', everyMs, log, now, (t) => purgeAudit(db, t - auditRetentionMs));
  dispatch(sessions.ref, { kind: 'purge' });
  dispatch(audit.ref, { kind: 'purge' });
  return {
    history: history.ref,
    stopTimers: () => {
      clearInterval(history.timer);
      clearInterval(sessions.timer);
      clearInterval(audit.timer);
    },
  };
}
