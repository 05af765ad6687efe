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
import { andLocation } from './location-filter.js';
// a type-only import of history.ts's row shape: no module cycle at run time
import type { BucketRow } from './history.js';

const FAILURES = new Set<string>(FAILURE_OUTCOMES);

/**
 * Results of `targetId` in [from, to) grouped into buckets of `stepMs` aligned on a clock
 * `offsetMs` ahead of UTC (t = start of each group, UTC epoch ms), only buckets with results,
 * in order. An outcome this version does not know counts as `error`.
 */
export async function aggregateRaw(db: Db, targetId: number, from: number, to: number, stepMs: number, offsetMs: number, location?: string): Promise<BucketRow[]> {
  const q = SQL`SELECT started_at AS s, outcome AS o, connect_ms AS c
    FROM results WHERE target_id = ${targetId} AND started_at >= ${from} AND started_at < ${to}`;
  // only the probes made from one location (issue 10)
  q.append(andLocation(location));
  const rows = await db.all<{ s: number; o: string; c: number | null }>(q.append(' ORDER BY started_at'));
  const out: BucketRow[] = [];
  let cur: BucketRow | null = null;
  for (const r of rows) {
    const s = Number(r.s);
    const local = s + offsetMs;
    const t = local - (((local % stepMs) + stepMs) % stepMs) - offsetMs;
    if (!cur || cur.t !== t) {
      cur = { t, attempts: 0, successes: 0, cmin: null, csum: null, ccount: 0, cmax: null } as BucketRow;
      for (const o of FAILURE_OUTCOMES) cur[o] = 0;
      out.push(cur);
    }
    cur.attempts++;
    if (r.o === 'success') cur.successes++;
    else cur[(FAILURES.has(r.o) ? r.o : 'error') as FailureOutcome]++;
    if (r.c != null) {
      const c = Number(r.c);
      cur.ccount++;
      cur.csum = (cur.csum ?? 0) + c;
      cur.cmin = cur.cmin === null ? c : Math.min(cur.cmin, c);
      cur.cmax = cur.cmax === null ? c : Math.max(cur.cmax, c);
    }
  }
  return out;
}
