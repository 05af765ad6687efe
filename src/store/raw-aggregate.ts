/**
 * Raw-row aggregation for history steps under a minute (issue 13: 24 h at 1 s is 86,400
 * buckets). The rows of one target are read in (target_id, started_at) index order and grouped in
 * one pass here: on SQLite a SQL GROUP BY over an expression sorted 86,400 rows through a temp
 * B-tree and took ~6× longer than reading them (bench/README.md). Same bucket rule and the same
 * row shape as the SQL aggregation of rollups in history.ts.
 */
import { SQL } from 'sql-template-strings';
import { FAILURE_OUTCOMES, type FailureOutcome } from '../domain/types.js';
import type { Db } from './db.js';
import { zeroCounts } from './outcome-columns.js';
import type { BucketRow } from './rows.js';
import { andLocation } from './location-filter.js';

const FAILURES = new Set<string>(FAILURE_OUTCOMES);

/** One raw row as {@link rawRows} reads it: started_at (UTC epoch ms), outcome, connect_ms. */
export type RawRow = [s: number, o: string, c: number | null];

/**
 * The results of `targetId` in [from, to) (UTC epoch ms), in started_at order, as arrays (no
 * object per row: {@link Db.rows}); with `location` (issue 10) only the probes made from there.
 */
export async function rawRows(db: Db, targetId: number, from: number, to: number, location?: string): Promise<RawRow[]> {
  const q = SQL`SELECT started_at, outcome, connect_ms
    FROM results WHERE target_id = ${targetId} AND started_at >= ${from} AND started_at < ${to}`;
  q.append(andLocation(location));
  return db.rows<RawRow>(q.append(' ORDER BY started_at'));
}

/** The outcome a raw row counts as: an outcome this version does not know counts as `error`. */
export const failureOf = (o: string): FailureOutcome => (FAILURES.has(o) ? o : 'error') as FailureOutcome;

/**
 * Results of `targetId` in [from, to) grouped into buckets of `stepMs` aligned on a clock
 * `offsetMs` ahead of UTC (t = start of each group, UTC epoch ms), only buckets with results,
 * in order. An outcome this version does not know counts as `error`.
 */
export async function aggregateRaw(db: Db, targetId: number, from: number, to: number, stepMs: number, offsetMs: number, location?: string): Promise<BucketRow[]> {
  const out: BucketRow[] = [];
  let cur: BucketRow | null = null;
  for (const [sv, o, cv] of await rawRows(db, targetId, from, to, location)) {
    const s = Number(sv);
    const local = s + offsetMs;
    const t = local - (((local % stepMs) + stepMs) % stepMs) - offsetMs;
    if (!cur || cur.t !== t) {
      cur = { t, attempts: 0, successes: 0, cmin: null, csum: null, ccount: 0, cmax: null, ...zeroCounts() };
      out.push(cur);
    }
    cur.attempts++;
    if (o === 'success') cur.successes++;
    else cur[failureOf(o)]++;
    if (cv != null) {
      const c = Number(cv);
      cur.ccount++;
      cur.csum = (cur.csum ?? 0) + c;
      cur.cmin = cur.cmin === null ? c : Math.min(cur.cmin, c);
      cur.cmax = cur.cmax === null ? c : Math.max(cur.cmax, c);
    }
  }
  return out;
}
