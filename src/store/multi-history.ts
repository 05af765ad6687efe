/**
 * History of many targets at once (issue 13 §3–4: compare and the wall): per target and bucket,
 * attempts, measured attempts (`local_error` left out, {@link UNMEASURED_OUTCOMES}), successes and
 * connect-time sums, in ONE query per stretch of constant UTC offset (one in UTC) with the ids
 * bound as a list, from the same source a single target's history uses (raw rows under a
 * minute, else the coarsest rollup whose buckets the edges fall on). With a `location` (issue 10)
 * only that location's probes count, read from raw rows (the rollups are per target).
 */
import { SQL, type SQLStatement } from 'sql-template-strings';
import type { BucketWindow } from '../domain/history-steps.js';
import { bucketIndex, type LocalBucketWindow } from '../domain/local-buckets.js';
import { UNMEASURED_OUTCOMES } from '../domain/types.js';
import { paddedIds, type Db } from './db.js';
import { localSourceFor, sourceFor, type HistorySource } from './history.js';
import { MEASURED_SQL } from './outcome-columns.js';
import { ROLLUPS } from './rows.js';
import { andLocation } from './location-filter.js';

/** Counts of one target over a window: one entry per bucket, oldest first; null where the bucket has no attempts. */
export interface TargetCells {
  attempts: (number | null)[];
  /** Attempts that measured the target (attempts − local_error): the ratio's denominator. */
  measured: (number | null)[];
  successes: (number | null)[];
  /** Average connect time over completed handshakes, ms; null when none. */
  connectAvg: (number | null)[];
}

/** One row of {@link groupQuery}: a target's counts in the bucket starting at `t` (UTC epoch ms). */
export type GroupRow = { target_id: number; t: number; attempts: number; measured: number; successes: number; csum: number | null; ccount: number };
/** The same row as {@link Db.rows} reads it: the columns in SELECT order. */
export type GroupTuple = [targetId: number, t: number, attempts: number, successes: number, measured: number, csum: number | null, ccount: number];

/**
 * The batched statement: per target in `ids` and bucket of `stepMs` (on a clock `offsetMs` ahead
 * of UTC) in [from, to), the counts of {@link GroupRow} (columns in {@link GroupTuple}'s order). When the rollup's own buckets are the
 * buckets asked for (the wall's 5-minute cells from results_5m), its rows are read as they are,
 * in primary-key order, without grouping.
 */
export function groupQuery(source: HistorySource, ids: readonly number[], from: number, to: number, stepMs: number, offsetMs: number, location?: string): SQLStatement {
  const q = SQL``;
  const size = ROLLUPS.find((r) => r.table === source)?.sizeMs;
  if (size === stepMs && offsetMs % stepMs === 0) {
    q.append(SQL`SELECT target_id, bucket AS t, attempts, successes, `)
      .append(MEASURED_SQL)
      .append(SQL` AS measured, connect_sum AS csum, connect_count AS ccount FROM `)
      .append(source)
      .append(SQL` WHERE bucket >= ${from} AND bucket < ${to} AND target_id IN (`);
    paddedIds(ids).forEach((id, i) => q.append(i === 0 ? SQL`${id}` : SQL`, ${id}`));
    return q.append(SQL`)`);
  }
  if (source === 'results') {
    q.append(SQL`SELECT target_id, (started_at + ${offsetMs}) - ((started_at + ${offsetMs}) % ${stepMs}) - ${offsetMs} AS t,
      COUNT(*) AS attempts, SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS successes,
      SUM(CASE WHEN outcome IN (`);
    UNMEASURED_OUTCOMES.forEach((o, i) => q.append(i === 0 ? SQL`${o}` : SQL`, ${o}`));
    q.append(SQL`) THEN 0 ELSE 1 END) AS measured, SUM(connect_ms) AS csum, COUNT(connect_ms) AS ccount
      FROM results WHERE started_at >= ${from} AND started_at < ${to} AND target_id IN (`);
  } else {
    q.append(
      SQL`SELECT target_id, (bucket + ${offsetMs}) - ((bucket + ${offsetMs}) % ${stepMs}) - ${offsetMs} AS t,
      SUM(attempts) AS attempts, SUM(successes) AS successes, SUM(`,
    )
      .append(MEASURED_SQL)
      .append(SQL`) AS measured, SUM(connect_sum) AS csum, SUM(connect_count) AS ccount FROM `)
      .append(source)
      .append(SQL` WHERE bucket >= ${from} AND bucket < ${to} AND target_id IN (`);
  }
  // padded to a few list lengths, so prepared statements are reused
  paddedIds(ids).forEach((id, i) => q.append(i === 0 ? SQL`${id}` : SQL`, ${id}`));
  q.append(')');
  if (source === 'results') q.append(andLocation(location));
  return q.append(SQL` GROUP BY target_id, t`);
}

/**
 * Aggregates `ids` over a window aligned to whole buckets (UTC, or a zone's local boundaries);
 * with `location`, only the probes made from that location (raw rows, whatever the step).
 * @returns one {@link TargetCells} per id (ids without results: all null)
 * @throws the driver's error
 */
export async function multiBuckets(db: Db, ids: readonly number[], w: BucketWindow | LocalBucketWindow, location?: string): Promise<Map<number, TargetCells>> {
  const out = new Map<number, TargetCells>();
  const col = () => new Array<number | null>(w.count).fill(null);
  for (const id of ids) out.set(id, { attempts: col(), measured: col(), successes: col(), connectAvg: col() });
  if (ids.length === 0) return out;
  const stepMs = w.stepSeconds * 1000;
  const local = 'starts' in w;
  const source: HistorySource = location !== undefined ? 'results' : local ? localSourceFor(w) : sourceFor(w.stepSeconds);
  const segments = local ? w.segments : [{ from: w.from, to: w.to, offsetMs: 0 }];
  const sums = new Map<number, { csum: number[]; ccount: number[] }>();
  for (const seg of segments) {
    const from = Math.max(seg.from, w.from);
    const to = Math.min(seg.to, w.to);
    for (const r of await db.all<GroupRow>(groupQuery(source, ids, from, to, stepMs, seg.offsetMs, location))) {
      const t = Number(r.t);
      const i = local ? bucketIndex(w.starts, Math.max(t, from)) : Math.round((t - w.from) / stepMs);
      const cells = out.get(Number(r.target_id));
      if (!cells || i < 0 || i >= w.count) continue;
      cells.attempts[i] = (cells.attempts[i] ?? 0) + Number(r.attempts);
      cells.measured[i] = (cells.measured[i] ?? 0) + Number(r.measured);
      cells.successes[i] = (cells.successes[i] ?? 0) + Number(r.successes);
      let s = sums.get(Number(r.target_id));
      if (!s) sums.set(Number(r.target_id), (s = { csum: new Array<number>(w.count).fill(0), ccount: new Array<number>(w.count).fill(0) }));
      s.csum[i]! += Number(r.csum ?? 0);
      s.ccount[i]! += Number(r.ccount);
    }
  }
  for (const [id, s] of sums) {
    const cells = out.get(id)!;
    s.ccount.forEach((n, i) => {
      if (n > 0) cells.connectAvg[i] = s.csum[i]! / n;
    });
  }
  return out;
}

/** Success ratio per bucket: successes / measured, null where nothing was measured (a gap). */
export function ratios(c: TargetCells): (number | null)[] {
  return c.measured.map((m, i) => (m == null || m === 0 ? null : (c.successes[i] ?? 0) / m));
}
