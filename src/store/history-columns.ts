/**
 * Columnar history straight from the aggregate rows (issue 13 §1): the same numbers as
 * `fillBuckets(w, historyBuckets(…))` put through `toColumns` (domain/history-columns.ts), without
 * an object per bucket, since 86,400 of them (24 h at 1 s) cost more in allocation and GC than
 * the query. Raw rows (steps under a minute) are folded into the columns from typed columns
 * ({@link scanRaw}), without a grouped row per bucket in between. Tests hold both paths equal.
 */
import type { HistoryColumns } from '../domain/history-columns.js';
import { bucketIndex, type LocalBucketWindow } from '../domain/local-buckets.js';
import { FAILURE_OUTCOMES } from '../domain/types.js';
import type { Db } from './db.js';
import { aggregate, localSourceFor, type HistorySource } from './history.js';
import { FAILURE_OF_CODE } from './raw-aggregate.js';
import { scanRaw, type RawScan } from './raw-scan.js';

/**
 * One target's history over a window on local boundaries, as columns (nulls for buckets without
 * attempts; outcome counts 0 in buckets with attempts).
 * @param source default: {@link localSourceFor}
 * @throws the driver's error
 */
export async function historyColumns(db: Db, targetId: number, w: LocalBucketWindow, source?: HistorySource, location?: string): Promise<HistoryColumns> {
  const n = w.count;
  const col = () => new Array<number | null>(n).fill(null);
  const c: HistoryColumns = {
    t: w.starts.slice(),
    attempts: col(),
    successes: col(),
    connectMin: col(),
    connectAvg: col(),
    connectMax: col(),
    outcomes: Object.fromEntries(FAILURE_OUTCOMES.map((o) => [o, col()])) as HistoryColumns['outcomes'],
  };
  const csum = new Float64Array(n);
  const ccount = new Float64Array(n);
  const src = source ?? localSourceFor(w);
  const stepMs = w.stepSeconds * 1000;
  const raw = src === 'results' || location !== undefined;
  for (const seg of w.segments) {
    const from = Math.max(seg.from, w.from);
    const to = Math.min(seg.to, w.to);
    if (raw) {
      foldRaw(c, csum, ccount, w.starts, Math.max(0, bucketIndex(w.starts, from)), await scanRaw(db, targetId, from, to, location));
      continue;
    }
    let i = 0;
    for (const r of await aggregate(db, src, targetId, from, to, stepMs, seg.offsetMs, location)) {
      // rows come in order: walk the bucket starts forward; a group that began before this stretch
      // belongs to the bucket open at the stretch's start
      const at = Math.max(Number(r.t), from);
      while (i + 1 < n && w.starts[i + 1]! <= at) i++;
      c.attempts[i] = (c.attempts[i] ?? 0) + Number(r.attempts);
      c.successes[i] = (c.successes[i] ?? 0) + Number(r.successes);
      for (const o of FAILURE_OUTCOMES) c.outcomes[o][i] = (c.outcomes[o][i] ?? 0) + Number(r[o]);
      if (r.cmin != null) c.connectMin[i] = Math.min(c.connectMin[i] ?? Infinity, Number(r.cmin));
      if (r.cmax != null) c.connectMax[i] = Math.max(c.connectMax[i] ?? -Infinity, Number(r.cmax));
      csum[i] = csum[i]! + Number(r.csum ?? 0);
      ccount[i] = ccount[i]! + Number(r.ccount);
    }
  }
  // raw rows were summed in whole µs (as raw-aggregate.ts sums them for the object format)
  const unit = raw ? 1000 : 1;
  for (let i = 0; i < n; i++) if (ccount[i]! > 0) c.connectAvg[i] = csum[i]! / unit / ccount[i]!;
  return c;
}

/**
 * Adds raw rows (in started_at order, each at or after `starts[i0]`) into the columns: each row to
 * the bucket holding it, walking the bucket starts forward; connect times summed in µs into `csumUs`.
 * A bucket's outcome counts become 0 at its first attempt (null stays for buckets without any).
 */
function foldRaw(c: HistoryColumns, csumUs: Float64Array, ccount: Float64Array, starts: readonly number[], i0: number, rows: RawScan): void {
  const n = starts.length;
  const { attempts, successes, connectMin, connectMax, outcomes } = c;
  const cols = FAILURE_OUTCOMES.map((o) => outcomes[o]);
  const { t, code, connectUs } = rows;
  let i = i0;
  for (let k = 0; k < rows.n; k++) {
    const s = t[k]!;
    while (i + 1 < n && starts[i + 1]! <= s) i++;
    const a = attempts[i];
    if (a == null) {
      attempts[i] = 1;
      successes[i] = 0;
      for (const col of cols) col[i] = 0;
    } else attempts[i] = a + 1;
    const failure = FAILURE_OF_CODE[code[k]!];
    if (failure) outcomes[failure][i]!++;
    else successes[i]!++;
    const us = connectUs[k]!;
    if (!Number.isNaN(us)) {
      const ms = us / 1000;
      const lo = connectMin[i];
      const hi = connectMax[i];
      if (lo == null || ms < lo) connectMin[i] = ms;
      if (hi == null || ms > hi) connectMax[i] = ms;
      csumUs[i] = csumUs[i]! + us;
      ccount[i] = ccount[i]! + 1;
    }
  }
}
