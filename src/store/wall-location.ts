/**
 * The wall's cells for one location (issues 10 and 13): the same flat target-major arrays as
 * {@link wallCells}, counted from raw rows of that location only (the rollups are per target, all
 * locations together), one batched query per `batch` targets.
 */
import type { LocalBucketWindow } from '../domain/local-buckets.js';
import type { Db } from './db.js';
import { multiBuckets } from './multi-history.js';
import type { WallCells } from './wall-cells.js';

/**
 * Cells of `ids` over `w` counting only probes made from `location`: `ids.length × w.count`
 * entries each (cell j of target k at k × count + j), null where a cell has no attempts.
 * @param location a location name, already validated
 * @param batch targets per statement (keeps each statement inside the store's statement timeout)
 */
export async function wallCellsAt(db: Db, ids: readonly number[], w: LocalBucketWindow, location: string, batch: number): Promise<WallCells> {
  const n = ids.length * w.count;
  const out: WallCells = { attempts: new Array(n).fill(null), measured: new Array(n).fill(null), successes: new Array(n).fill(null) };
  for (let k0 = 0; k0 < ids.length; k0 += batch) {
    const part = ids.slice(k0, k0 + batch);
    const cells = await multiBuckets(db, part, w, location);
    part.forEach((id, dk) => {
      const cl = cells.get(id)!;
      const off = (k0 + dk) * w.count;
      for (let j = 0; j < w.count; j++) {
        out.attempts[off + j] = cl.attempts[j]!;
        out.measured[off + j] = cl.measured[j]!;
        out.successes[off + j] = cl.successes[j]!;
      }
    });
  }
  return out;
}
