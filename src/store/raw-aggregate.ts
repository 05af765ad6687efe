/**
 * Raw-row aggregation for history steps under a minute (issue 13: 24 h at 1 s is 86,400
 * buckets). The rows of one target are read as typed columns (store/raw-scan.ts) in started_at
 * order and grouped in one pass here: on SQLite a SQL GROUP BY over an expression sorted 86,400
 * rows through a temp B-tree and took ~6× longer than reading them (bench/README.md). Same bucket
 * rule and the same row shape as the SQL aggregation of rollups in history.ts. Connect times are
 * summed in whole µs (exact), so the columnar history (store/history-columns.ts) gets the same sums.
 */
import { FAILURE_OUTCOMES, OUTCOMES, type FailureOutcome } from '../domain/types.js';
import type { Db } from './db.js';
import { zeroCounts } from './outcome-columns.js';
import { scanRaw } from './raw-scan.js';
import type { BucketRow } from './rows.js';

/** The failure outcome of each outcome code of raw-scan.ts (undefined for success). */
export const FAILURE_OF_CODE: readonly (FailureOutcome | undefined)[] = OUTCOMES.map((o) => FAILURE_OUTCOMES.find((f) => f === o));

/**
 * Results of `targetId` in [from, to) grouped into buckets of `stepMs` aligned on a clock
 * `offsetMs` ahead of UTC (t = start of each group, UTC epoch ms), only buckets with results,
 * in order. An outcome this version does not know counts as `error`. With `location` (issue 10)
 * only the probes made from there.
 * @throws the driver's error
 */
export async function aggregateRaw(db: Db, targetId: number, from: number, to: number, stepMs: number, offsetMs: number, location?: string): Promise<BucketRow[]> {
  const { n, t: starts, code, connectUs } = await scanRaw(db, targetId, from, to, location);
  const out: BucketRow[] = [];
  let cur: BucketRow | null = null;
  let sumUs = 0;
  const close = () => {
    if (cur && cur.ccount > 0) cur.csum = sumUs / 1000;
  };
  for (let k = 0; k < n; k++) {
    const local = starts[k]! + offsetMs;
    const t = local - (((local % stepMs) + stepMs) % stepMs) - offsetMs;
    if (!cur || cur.t !== t) {
      close();
      cur = { t, attempts: 0, successes: 0, cmin: null, csum: null, ccount: 0, cmax: null, ...zeroCounts() };
      sumUs = 0;
      out.push(cur);
    }
    cur.attempts++;
    const failure = FAILURE_OF_CODE[code[k]!];
    if (failure) cur[failure]++;
    else cur.successes++;
    const us = connectUs[k]!;
    if (!Number.isNaN(us)) {
      const ms = us / 1000;
      cur.ccount++;
      sumUs += us;
      cur.cmin = cur.cmin === null ? ms : Math.min(cur.cmin, ms);
      cur.cmax = cur.cmax === null ? ms : Math.max(cur.cmax, ms);
    }
  }
  close();
  return out;
}
