/**
 * History aggregation in SQL: per-bucket counts and connect-time min/avg/max for one target,
 * from raw rows or a rollup table. Rows come back only for buckets with results;
 * {@link fillBuckets} adds the empty ones. Windows on a zone's local boundaries
 * ({@link LocalBucketWindow}) are aggregated per stretch of constant UTC offset and merged.
 */
import { SQL } from 'sql-template-strings';
import { FAILURE_OUTCOMES, measuredAttempts, type HistoryBucket } from '../domain/types.js';
import type { BucketWindow } from '../domain/history-steps.js';
import { bucketIndex, type LocalBucketWindow } from '../domain/local-buckets.js';
import { paddedIds, type Db } from './db.js';
import { aggregateRaw } from './raw-aggregate.js';
import { appendOutcomeSums, MEASURED_SQL } from './outcome-columns.js';
import { ROLLUPS, type BucketRow, type RollupTable } from './rows.js';

/** Where a history query reads from: raw rows, or a rollup table whose bucket divides the step. */
export type HistorySource = 'results' | RollupTable;

/** The rollups, coarsest first. */
const COARSEST_FIRST = [...ROLLUPS].sort((a, b) => b.sizeMs - a.sizeMs);

/**
 * Picks the source for a step (issue "Performance at scale"): the coarsest rollup whose bucket
 * divides the step (1 h for whole hours, 5 min for multiples of 5 minutes, 1 min for whole
 * minutes), raw rows otherwise (steps under 60 s, or e.g. 90 s).
 */
export function sourceFor(stepSeconds: number): HistorySource {
  return COARSEST_FIRST.find((r) => (stepSeconds * 1000) % r.sizeMs === 0)?.table ?? 'results';
}

/**
 * Picks the source for a window on local boundaries: the coarsest rollup whose buckets every
 * local bucket edge falls on (whole UTC hours for day buckets in Europe/London; minutes for hour
 * buckets in Asia/Kolkata, +5:30, or Asia/Kathmandu, +5:45), raw rows when none does.
 */
export function localSourceFor(w: LocalBucketWindow): HistorySource {
  for (const { table, sizeMs } of COARSEST_FIRST) {
    if (w.to % sizeMs === 0 && w.starts.every((t) => t % sizeMs === 0)) return table;
  }
  return 'results';
}

/**
 * Rows of `source` in [from, to) grouped into buckets of `stepMs` aligned on a clock `offsetMs`
 * ahead of UTC (0: multiples of the step since the epoch); `t` is each group's start, UTC epoch ms.
 */
export async function aggregate(db: Db, source: HistorySource, targetId: number, from: number, to: number, stepMs: number, offsetMs: number, location?: string): Promise<BucketRow[]> {
  // raw rows are grouped in one pass over the index order (store/raw-aggregate.ts)
  // with a location (issue 10) only raw rows say where a probe came from: rollups are per target
  if (source === 'results' || location !== undefined) return aggregateRaw(db, targetId, from, to, stepMs, offsetMs, location);
  const q = SQL``;
  q.append(SQL`SELECT (bucket + ${offsetMs}) - ((bucket + ${offsetMs}) % ${stepMs}) - ${offsetMs} AS t,
        SUM(attempts) AS attempts, SUM(successes) AS successes,
        MIN(connect_min) AS cmin, SUM(connect_sum) AS csum, SUM(connect_count) AS ccount, MAX(connect_max) AS cmax`);
  appendOutcomeSums(q)
    .append(' FROM ')
    .append(source)
    .append(SQL` WHERE target_id = ${targetId} AND bucket >= ${from} AND bucket < ${to} GROUP BY t ORDER BY t`);
  return db.all<BucketRow>(q);
}

const lesser = (a: unknown, b: unknown) => (a == null ? b : b == null ? a : Math.min(Number(a), Number(b)));
const greater = (a: unknown, b: unknown) => (a == null ? b : b == null ? a : Math.max(Number(a), Number(b)));

/** Adds aggregate `r` into `acc` (counts and sums added, min/max combined). */
function merge(acc: BucketRow, r: BucketRow): void {
  for (const k of ['attempts', 'successes', 'ccount', ...FAILURE_OUTCOMES] as const) acc[k] = Number(acc[k]) + Number(r[k]);
  acc.csum = acc.csum == null && r.csum == null ? null : Number(acc.csum ?? 0) + Number(r.csum ?? 0);
  acc.cmin = lesser(acc.cmin, r.cmin) as number | null;
  acc.cmax = greater(acc.cmax, r.cmax) as number | null;
}

/**
 * Aggregates one target's results over a window aligned to whole buckets, in SQL, from
 * `source` (default: chosen by {@link sourceFor}, or {@link localSourceFor} for local windows).
 * Returns only buckets that have results, in order. With `location` (issue 10) only that location's
 * results count, read from raw rows (rollups are per target, all locations together).
 */
export async function historyBuckets(db: Db, targetId: number, w: BucketWindow | LocalBucketWindow, source?: HistorySource, location?: string): Promise<HistoryBucket[]> {
  const stepMs = w.stepSeconds * 1000;
  if (location !== undefined) source = 'results';
  if (!('starts' in w)) return (await aggregate(db, source ?? sourceFor(w.stepSeconds), targetId, w.from, w.to, stepMs, 0, location)).map(toBucket);
  const src = source ?? localSourceFor(w);
  const byStart = new Map<number, BucketRow>();
  for (const seg of w.segments) {
    const from = Math.max(seg.from, w.from);
    for (const r of await aggregate(db, src, targetId, from, Math.min(seg.to, w.to), stepMs, seg.offsetMs, location)) {
      // a group that began before this stretch belongs to the bucket open at the stretch's start
      const start = w.starts[bucketIndex(w.starts, Math.max(Number(r.t), from))]!;
      const acc = byStart.get(start);
      if (acc) merge(acc, r);
      else byStart.set(start, { ...r, t: start });
    }
  }
  return [...byStart.values()].sort((a, b) => a.t - b.t).map(toBucket);
}

/** Converts an aggregate row (from raw rows or a rollup table) into a bucket. */
export function toBucket(r: BucketRow): HistoryBucket {
  const attempts = Number(r.attempts);
  const successes = Number(r.successes);
  const ccount = Number(r.ccount);
  const outcomes: HistoryBucket['outcomes'] = {};
  for (const o of FAILURE_OUTCOMES) {
    const n = Number(r[o]);
    if (n > 0) outcomes[o] = n;
  }
  const measured = measuredAttempts({ attempts, outcomes });
  return {
    t: Number(r.t),
    attempts,
    successes,
    ratio: measured > 0 ? successes / measured : null,
    connectMs: {
      min: r.cmin == null ? null : Number(r.cmin),
      avg: ccount > 0 ? Number(r.csum) / ccount : null,
      max: r.cmax == null ? null : Number(r.cmax),
    },
    outcomes,
  };
}

/** Returns every bucket of the window in order, empty ones with attempts 0 and ratio null. */
export function fillBuckets(w: BucketWindow | LocalBucketWindow, present: readonly HistoryBucket[]): HistoryBucket[] {
  const stepMs = w.stepSeconds * 1000;
  const byT = new Map(present.map((b) => [b.t, b]));
  const empty = (t: number): HistoryBucket => ({ t, attempts: 0, successes: 0, ratio: null, connectMs: { min: null, avg: null, max: null }, outcomes: {} });
  if ('starts' in w) return w.starts.map((t) => byT.get(t) ?? empty(t));
  const out: HistoryBucket[] = [];
  for (let t = w.from; t < w.to; t += stepMs) out.push(byT.get(t) ?? empty(t));
  return out;
}

/**
 * Success ratio per bucket for several targets at once (dashboard sparklines), from the 1-minute
 * rollups; the window's step must be a whole number of minutes. The ratio is over measured
 * attempts (`local_error` left out); a bucket with none is null (a gap).
 * @returns `{ "<id>": [ratio | null, …] }` with one entry per bucket of the window, oldest first
 */
export async function sparkRatios(db: Db, ids: readonly number[], w: BucketWindow): Promise<Record<string, (number | null)[]>> {
  const stepMs = w.stepSeconds * 1000;
  const out: Record<string, (number | null)[]> = {};
  for (const id of ids) out[id] = new Array<number | null>(w.count).fill(null);
  if (ids.length === 0) return out;
  const q = SQL`SELECT target_id, bucket - (bucket % ${stepMs}) AS t, SUM(`.append(MEASURED_SQL).append(SQL`) AS measured, SUM(successes) AS successes
    FROM results_1m WHERE bucket >= ${w.from} AND bucket < ${w.to} AND target_id IN (`);
  // a few list lengths only, so prepared statements are reused (each length is one statement)
  paddedIds(ids).forEach((id, i) => q.append(i === 0 ? SQL`${id}` : SQL`, ${id}`));
  q.append(SQL`) GROUP BY target_id, t`);
  for (const r of await db.all<{ target_id: number; t: number; measured: number; successes: number }>(q)) {
    const i = Math.round((Number(r.t) - w.from) / stepMs);
    const series = out[Number(r.target_id)];
    if (series && i >= 0 && i < series.length && Number(r.measured) > 0) series[i] = Number(r.successes) / Number(r.measured);
  }
  return out;
}
