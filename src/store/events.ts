/**
 * The `events` table (issue 11): one row per target state change, and the outages read from it.
 * Every function takes the {@link Db} first; times are UTC epoch ms.
 */
import { SQL } from 'sql-template-strings';
import type { Outage, StateEvent, TargetState, Transition } from '../domain/target-state.js';

export type { Outage, StateEvent };
import type { Outcome } from '../domain/types.js';
import type { Db } from './db.js';

interface EventRow {
  id: number;
  target_id: number;
  location: string;
  from_state: string;
  to_state: string;
  at: number;
  outcome: string;
  error_code: string | null;
  first_failed_at: number | null;
  streak_started_at: number;
  in_maintenance: number;
}

const num = (v: unknown) => (v == null ? null : Number(v));

function toEvent(r: EventRow): StateEvent {
  return {
    id: Number(r.id),
    targetId: Number(r.target_id),
    location: r.location,
    from: r.from_state as TargetState,
    to: r.to_state as TargetState,
    at: Number(r.at),
    outcome: r.outcome as Outcome,
    errorCode: r.error_code,
    firstFailedAt: num(r.first_failed_at),
    streakStartedAt: Number(r.streak_started_at),
    inMaintenance: Boolean(Number(r.in_maintenance)),
  };
}

/** Stores one change of `targetId` (marked when inside a maintenance window). @returns the stored event */
export async function insertEvent(db: Db, targetId: number, e: Transition, inMaintenance = false, location = 'default'): Promise<StateEvent> {
  const r = await db.run(SQL`INSERT INTO events (target_id, location, from_state, to_state, at, outcome, error_code, first_failed_at, streak_started_at, in_maintenance)
    VALUES (${targetId}, ${location}, ${e.from}, ${e.to}, ${e.at}, ${e.outcome}, ${e.errorCode}, ${e.firstFailedAt}, ${e.streakStartedAt}, ${inMaintenance ? 1 : 0})`);
  return { ...e, id: r.lastId, targetId, location, inMaintenance };
}

/** The latest change of one target (its current state), or undefined when it never changed. */
export async function lastEvent(db: Db, targetId: number): Promise<StateEvent | undefined> {
  const r = await db.get<EventRow>(SQL`SELECT * FROM events WHERE target_id = ${targetId} ORDER BY at DESC, id DESC LIMIT 1`);
  return r && toEvent(r);
}

/** The latest change of every target that has one, by target id. */
export async function lastEvents(db: Db): Promise<Map<number, StateEvent>> {
  const rows = await db.all<EventRow>(SQL`SELECT e.* FROM events e
    JOIN (SELECT target_id, MAX(id) AS id FROM events GROUP BY target_id) m ON m.id = e.id`);
  return new Map(rows.map((r) => [Number(r.target_id), toEvent(r)]));
}

/** Filter for {@link listEvents}: [from, to] inclusive, UTC epoch ms; newest first, at most `limit`. */
export interface EventQuery {
  targetId?: number | undefined;
  from: number;
  to: number;
  limit: number;
}

/** Changes in [from, to], newest first. */
export async function listEvents(db: Db, q: EventQuery): Promise<StateEvent[]> {
  const s = SQL`SELECT * FROM events WHERE at >= ${q.from} AND at <= ${q.to}`;
  if (q.targetId !== undefined) s.append(SQL` AND target_id = ${q.targetId}`);
  s.append(SQL` ORDER BY at DESC, id DESC LIMIT ${q.limit}`);
  return (await db.all<EventRow>(s)).map(toEvent);
}

/**
 * Outages that overlap [from, to] (an outage that began earlier and was still open at `from`
 * included), oldest first. An open outage's duration runs to `now`.
 */
export async function listOutages(db: Db, q: Omit<EventQuery, 'limit'>, now: number): Promise<Outage[]> {
  const target = q.targetId === undefined ? SQL`` : SQL` AND target_id = ${q.targetId}`;
  // the change before `from` of each target (an outage may be open across `from`), those in the
  // range, and the first change after `to` (it may end an outage open at `to`)
  const before = SQL`SELECT e.* FROM events e JOIN (SELECT target_id, MAX(id) AS id FROM events WHERE at < ${q.from}`.append(target).append(SQL` GROUP BY target_id) m ON m.id = e.id`);
  const inside = SQL`SELECT * FROM events WHERE at >= ${q.from} AND at <= ${q.to}`.append(target);
  const after = SQL`SELECT e.* FROM events e JOIN (SELECT target_id, MIN(id) AS id FROM events WHERE at > ${q.to}`.append(target).append(SQL` GROUP BY target_id) m ON m.id = e.id`);
  const rows = [...(await db.all<EventRow>(before)), ...(await db.all<EventRow>(inside)), ...(await db.all<EventRow>(after))].map(toEvent);
  rows.sort((a, b) => a.targetId - b.targetId || a.at - b.at || a.id - b.id);
  const out: Outage[] = [];
  const open = new Map<string, Outage>();
  for (const e of rows) {
    const key = `${e.targetId}|${e.location}`;
    if (e.to === 'down') {
      const start = e.firstFailedAt ?? e.at;
      const o: Outage = {
        targetId: e.targetId,
        location: e.location,
        start,
        end: null,
        durationMs: Math.max(0, now - start),
        cause: { outcome: e.outcome, errorCode: e.errorCode },
        maintenance: e.inMaintenance,
      };
      open.set(key, o);
      out.push(o);
    } else {
      const o = open.get(key);
      if (o) {
        o.end = e.streakStartedAt;
        o.durationMs = o.end - o.start;
        open.delete(key);
      }
    }
  }
  return out.filter((o) => o.start <= q.to && (o.end === null || o.end >= q.from)).sort((a, b) => a.start - b.start || a.targetId - b.targetId);
}

/**
 * Deletes one target's changes before `cutoff` (its retention), keeping its latest change, which
 * holds the current state a restart continues from. @returns rows deleted
 */
export async function purgeEvents(db: Db, targetId: number, cutoff: number): Promise<number> {
  const last = await lastEvent(db, targetId);
  if (!last) return 0;
  return (await db.run(SQL`DELETE FROM events WHERE target_id = ${targetId} AND at < ${cutoff} AND id <> ${last.id}`)).changes;
}

/** Deletes every change of a target that no longer exists. @returns rows deleted */
export async function deleteTargetEvents(db: Db, targetId: number): Promise<number> {
  return (await db.run(SQL`DELETE FROM events WHERE target_id = ${targetId}`)).changes;
}

/** Ids of targets that have events (to find those of deleted targets). */
export async function eventTargetIds(db: Db): Promise<number[]> {
  return (await db.all<{ target_id: number }>(SQL`SELECT DISTINCT target_id FROM events`)).map((r) => Number(r.target_id));
}

/** How many changes one target had with `at` in [from, to] (flapping, issue 11). */
export async function countEvents(db: Db, targetId: number, from: number, to: number): Promise<number> {
  const r = await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM events WHERE target_id = ${targetId} AND at >= ${from} AND at <= ${to}`);
  return Number(r?.n ?? 0);
}

/** Changes per target with `at` ≥ `since` (UTC epoch ms), by target id (for the flapping mark). */
export async function changeCountsSince(db: Db, since: number): Promise<Map<number, number>> {
  const rows = await db.all<{ target_id: number; n: number }>(SQL`SELECT target_id, COUNT(*) AS n FROM events WHERE at >= ${since} GROUP BY target_id`);
  return new Map(rows.map((r) => [Number(r.target_id), Number(r.n)]));
}
