/**
 * The wall's cells (issue 13 §4): attempts, measured attempts and successes of many targets over
 * one window, as flat target-major arrays (cell j of target k at k × count + j), filled straight
 * from the batched rows without per-target arrays. Reads the source a single target's history
 * would (the 24 h wall's 5-minute cells: results_5m row for row, no grouping).
 */
import type { LocalBucketWindow } from '../domain/local-buckets.js';
import { bucketIndex } from '../domain/local-buckets.js';
import type { Db } from './db.js';
import { localSourceFor } from './history.js';
import { groupQuery, type GroupRow } from './multi-history.js';

/** Flat cells of {@link wallCells}: `ids.length × w.count` entries each, null where a cell has no attempts. */
export interface WallCells {
  attempts: (number | null)[];
  measured: (number | null)[];
  successes: (number | null)[];
}

/**
 * Counts of `ids` (in that order) over `w` (whole local cells), `batch` targets per statement.
 * @throws the driver's error
 */
export async function wallCells(db: Db, ids: readonly number[], w: LocalBucketWindow, batch: number): Promise<WallCells> {
  const n = ids.length * w.count;
  const out: WallCells = { attempts: new Array(n).fill(null), measured: new Array(n).fill(null), successes: new Array(n).fill(null) };
  const row = new Map(ids.map((id, k) => [id, k * w.count]));
  const stepMs = w.stepSeconds * 1000;
  const source = localSourceFor(w);
  for (const seg of w.segments) {
    const from = Math.max(seg.from, w.from);
    const to = Math.min(seg.to, w.to);
    for (let k0 = 0; k0 < ids.length; k0 += batch) {
      const rows = await db.all<GroupRow>(groupQuery(source, ids.slice(k0, k0 + batch), from, to, stepMs, seg.offsetMs));
      for (const r of rows) {
        const off = row.get(Number(r.target_id));
        // a group that began before this stretch belongs to the cell open at the stretch's start
        const j = bucketIndex(w.starts, Math.max(Number(r.t), from));
        if (off === undefined || j < 0) continue;
        const i = off + j;
        out.attempts[i] = (out.attempts[i] ?? 0) + Number(r.attempts);
        out.measured[i] = (out.measured[i] ?? 0) + Number(r.measured);
        out.successes[i] = (out.successes[i] ?? 0) + Number(r.successes);
      }
    }
  }
  return out;
}
