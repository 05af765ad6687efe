/** The `results` table: the raw probe log. Every function takes the {@link Db} first. */
import { SQL } from 'sql-template-strings';
import type { DialledAddress, Outcome, ProbeResult } from '../domain/types.js';
import type { CloseMode } from '../domain/wire-rules.js';
import { andLocation } from './location-filter.js';
import type { Db } from './db.js';

/** A `results` row as stored. */
export interface ResultRow {
  target_id: number;
  started_at: number;
  outcome: string;
  connect_ms: number | null;
  dns_ms: number | null;
  address: string | null;
  local_port: number | null;
  error_code: string | null;
  scheduled_at: number | null;
  local_address: string | null;
  close_mode: string | null;
  /** JSON array of {@link DialledAddress}, or null. */
  addresses: string | null;
  location: string | null;
  node: string | null;
}

/** Columns read for a result (the ones {@link toResult} converts). */
const RESULT_FIELDS = 'target_id, started_at, outcome, connect_ms, dns_ms, address, local_port, error_code, scheduled_at, local_address, close_mode, addresses, location, node';

/** Parses the stored `addresses` JSON; null when absent or not an array (never throws). */
function parseAddresses(text: string | null): DialledAddress[] | null {
  if (text == null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as DialledAddress[]) : null;
  } catch {
    return null;
  }
}

/** Converts a stored row into the API shape. */
export function toResult(r: ResultRow): ProbeResult {
  return {
    targetId: Number(r.target_id),
    startedAt: Number(r.started_at),
    outcome: r.outcome as Outcome,
    connectMs: r.connect_ms == null ? null : Number(r.connect_ms),
    dnsMs: r.dns_ms == null ? null : Number(r.dns_ms),
    address: r.address,
    localPort: r.local_port == null ? null : Number(r.local_port),
    errorCode: r.error_code,
    scheduledAt: r.scheduled_at == null ? null : Number(r.scheduled_at),
    localAddress: r.local_address,
    closeMode: r.close_mode as CloseMode | null,
    addresses: parseAddresses(r.addresses),
    location: r.location ?? null,
    node: r.node ?? null,
  };
}

/**
 * Inserts results: multi-row INSERTs of up to RESULT_BATCH rows on MySQL (mysql.ts), one prepared
 * single-row INSERT per row on SQLite (see {@link Db.insertResults}).
 * @throws the driver's error; nothing of that statement is stored then
 */
export async function insertResults(db: Db, rows: readonly ProbeResult[]): Promise<void> {
  await db.insertResults(rows);
}

/** Query for {@link listResults}: [from, to) in UTC epoch ms; `before` pages backwards (exclusive). */
export interface ResultQuery {
  from: number;
  to: number;
  limit: number;
  before?: number | undefined;
  /** Only results probed from this location (issue 10). */
  location?: string | undefined;
}

/** The raw probe log of one target, newest first. */
export async function listResults(db: Db, targetId: number, q: ResultQuery): Promise<ProbeResult[]> {
  const to = q.before !== undefined ? Math.min(q.to, q.before) : q.to;
  const rows = await db.all<ResultRow>(
    SQL`SELECT `
      .append(RESULT_FIELDS)
      .append(
        SQL`
    FROM results WHERE target_id = ${targetId} AND started_at >= ${q.from} AND started_at < ${to}`,
      )
      .append(andLocation(q.location))
      .append(SQL` ORDER BY started_at DESC LIMIT ${q.limit}`),
  );
  return rows.map(toResult);
}

/**
 * Start time of a target's oldest stored result (UTC epoch ms), or null when it has none. One
 * index lookup, a non-locking read (the purge asks before anything that locks, actors/purge.ts).
 */
export async function oldestResultAt(db: Db, targetId: number): Promise<number | null> {
  const r = await db.get<{ t: number | null }>(SQL`SELECT MIN(started_at) AS t FROM results WHERE target_id = ${targetId}`);
  return r?.t == null ? null : Number(r.t);
}

/** The newest result of each target that has one (used when the in-memory copy is cold). */
export async function latestResults(db: Db, targetIds: readonly number[]): Promise<Map<number, ProbeResult>> {
  const out = new Map<number, ProbeResult>();
  for (const id of targetIds) {
    const row = await db.get<ResultRow>(
      SQL`SELECT `.append(RESULT_FIELDS).append(SQL`
      FROM results WHERE target_id = ${id} ORDER BY started_at DESC LIMIT 1`),
    );
    if (row) out.set(id, toResult(row));
  }
  return out;
}

/** Most results read per target by {@link latestRuns} (a longer failure run is reported as this long). */
export const RUN_READ_LIMIT = 1000;

/** A target's newest stored result and the start of its recent history (see {@link latestRuns}). */
export interface StoredRun {
  newest: ProbeResult;
  /** Start time (UTC epoch ms) and outcome of the newest results, newest first, up to and including the first `success` (at most `limit`). */
  recent: { startedAt: number; outcome: Outcome }[];
}

/**
 * The newest stored result of each target that has one, and its results newest first back to the
 * newest success (at most `limit` of them): what a restart needs to continue "the last N probes
 * failed" (actors/latest-results.ts). Indexed backwards scans: 8 rows for a target whose newest
 * results include a success, at most `limit` more otherwise.
 */
export async function latestRuns(db: Db, targetIds: readonly number[], limit = RUN_READ_LIMIT): Promise<Map<number, StoredRun>> {
  const out = new Map<number, StoredRun>();
  const untilSuccess = (rows: { started_at: number; outcome: string }[]) => {
    const end = rows.findIndex((r) => r.outcome === 'success');
    return (end < 0 ? rows : rows.slice(0, end + 1)).map((r) => ({ startedAt: Number(r.started_at), outcome: r.outcome as Outcome }));
  };
  for (const id of targetIds) {
    let rows = await db.all<ResultRow>(
      SQL`SELECT `.append(RESULT_FIELDS).append(SQL`
      FROM results WHERE target_id = ${id} ORDER BY started_at DESC LIMIT 8`),
    );
    if (rows.length === 0) continue;
    const newest = toResult(rows[0]!);
    if (rows.length === 8 && !rows.some((r) => r.outcome === 'success'))
      rows = await db.all<ResultRow>(SQL`SELECT started_at, outcome FROM results WHERE target_id = ${id} ORDER BY started_at DESC LIMIT ${limit}`);
    out.set(id, { newest, recent: untilSuccess(rows) });
  }
  return out;
}

/**
 * The newest result of each (target, location) pair that has one (issue 10: per-location status on
 * the dashboard), keyed `targetId|location`. One indexed backwards scan per pair.
 */
export async function latestByLocation(db: Db, pairs: readonly { targetId: number; location: string }[]): Promise<Map<string, ProbeResult>> {
  const out = new Map<string, ProbeResult>();
  for (const { targetId, location } of pairs) {
    const row = await db.get<ResultRow>(
      SQL`SELECT `.append(RESULT_FIELDS).append(SQL`
      FROM results WHERE target_id = ${targetId} AND location = ${location} ORDER BY started_at DESC LIMIT 1`),
    );
    if (row) out.set(`${targetId}|${location}`, toResult(row));
  }
  return out;
}

/** Where {@link resultsAscending} left off: the last row's start time and id. */
export interface ResultCursor {
  startedAt: number;
  id: number;
}

/**
 * One page of a target's probe log, oldest first, for streaming a range ([from, to) in UTC epoch
 * ms) page by page: pass the returned `next` back as `after` until it is null. Keyset paging on the
 * table's (target_id, started_at, id) order, so pages neither skip nor repeat rows while new
 * results arrive. `location` (issue 10): only the results probed from that location.
 */
export async function resultsAscending(
  db: Db,
  targetId: number,
  q: { from: number; to: number; limit: number; after?: ResultCursor | null | undefined; location?: string | undefined },
): Promise<{ results: ProbeResult[]; next: ResultCursor | null }> {
  // Every column: the CSV carries every result field, so a column added to `results` (and mapped in
  // toResult) reaches it without touching this query.
  const query = SQL`SELECT * FROM results WHERE target_id = ${targetId} AND started_at < ${q.to}`;
  // a range on started_at first, so both engines seek the (target_id, started_at…) index
  if (q.after) query.append(SQL` AND started_at >= ${q.after.startedAt} AND (started_at > ${q.after.startedAt} OR id > ${q.after.id})`);
  else query.append(SQL` AND started_at >= ${q.from}`);
  query.append(andLocation(q.location)).append(SQL` ORDER BY started_at, id LIMIT ${q.limit}`);
  const rows = await db.all<ResultRow & { id: number }>(query);
  const last = rows[rows.length - 1];
  return { results: rows.map(toResult), next: rows.length === q.limit && last ? { startedAt: Number(last.started_at), id: Number(last.id) } : null };
}

/** Largest `results.id` so far (0 for an empty table): where a {@link resultsAfter} reader starts. */
export async function maxResultId(db: Db): Promise<number> {
  const row = await db.get<{ m: number | null }>(SQL`SELECT MAX(id) AS m FROM results`);
  return Number(row?.m ?? 0);
}

/**
 * Results stored after id `afterId` by any node but `exceptNode`, oldest id first, at most `limit`
 * (issue 10: a node's dashboard follows what the other nodes probe). Reads the `results_id` index.
 * @returns each row's id with its result
 */
export async function resultsAfter(db: Db, afterId: number, exceptNode: string, limit: number): Promise<{ id: number; result: ProbeResult }[]> {
  const rows = await db.all<ResultRow & { id: number }>(
    SQL`SELECT id, `.append(RESULT_FIELDS).append(SQL`
    FROM results WHERE id > ${afterId} AND (node IS NULL OR node <> ${exceptNode}) ORDER BY id LIMIT ${limit}`),
  );
  return rows.map((r) => ({ id: Number(r.id), result: toResult(r) }));
}
