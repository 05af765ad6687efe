/**
 * The wall's cells (issue 13 §4): attempts, measured attempts and successes of many targets over
 * one window, as flat target-major arrays (cell j of target k at k × count + j). Reads the source
 * a single target's history would (the 24 h wall's 5-minute cells: results_5m rows as stored).
 *
 * Cost: per-row decoding dominated (288,000 rows, ~2 µs each in the driver, bench/README.md), so the
 * database packs each target's cells into one string (`GROUP_CONCAT` of `start:attempts:measured:
 * successes:`, both engines) and this module parses the digits in one pass: one row per target.
 * A string the engine cut short (MySQL `group_concat_max_len`) is detected by its colon count,
 * and that batch is read again row by row.
 */
import { SQL } from 'sql-template-strings';
import type { LocalBucketWindow } from '../domain/local-buckets.js';
import { bucketIndex } from '../domain/local-buckets.js';
import type { Db } from './db.js';
import { localSourceFor } from './history.js';
import { groupQuery, type GroupTuple } from './multi-history.js';

/** Flat cells of {@link wallCells}: `ids.length × w.count` entries each, null where a cell has no attempts. */
export interface WallCells {
  attempts: (number | null)[];
  measured: (number | null)[];
  successes: (number | null)[];
}

/** Adds one group's counts (group start `t`, UTC epoch ms) to the cell holding it. */
type Add = (id: number, t: number, attempts: number, measured: number, successes: number) => void;

/**
 * Whether a packed string holds all `groups` groups: each ends with `:`, so a string the engine cut
 * short has fewer than 4 × groups colons.
 */
function whole(s: string, groups: number): boolean {
  let colons = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 58) colons++;
  return colons === 4 * groups && s.endsWith(':');
}

/**
 * Parses `start:attempts:measured:successes:` groups separated by commas (start relative to
 * `base`, ms; whole numbers, the start possibly negative, possibly printed with a `.0`; see
 * {@link whole}) and adds each.
 */
function parsePacked(id: number, s: string, base: number, add: Add): void {
  const v = [0, 0, 0, 0];
  let f = 0;
  let x = 0;
  let neg = false;
  let fraction = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      if (!fraction) x = x * 10 + (ch - 48);
    } else if (ch === 45) neg = true;
    // SQLite prints arithmetic on bound values as REAL (`1800000.0`); every value is whole
    else if (ch === 46) fraction = true;
    else if (ch === 58) {
      v[f++] = neg ? -x : x;
      x = 0;
      neg = false;
      fraction = false;
      if (f === 4) {
        add(id, base + v[0]!, v[1]!, v[2]!, v[3]!);
        f = 0;
      }
    }
  }
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
    const add: Add = (id, t, attempts, measured, successes) => {
      const off = row.get(id);
      // a group that began before this stretch belongs to the cell open at the stretch's start
      const j = bucketIndex(w.starts, Math.max(t, from));
      if (off === undefined || j < 0) return;
      const i = off + j;
      out.attempts[i] = (out.attempts[i] ?? 0) + attempts;
      out.measured[i] = (out.measured[i] ?? 0) + measured;
      out.successes[i] = (out.successes[i] ?? 0) + successes;
    };
    for (let k0 = 0; k0 < ids.length; k0 += batch) {
      const part = ids.slice(k0, k0 + batch);
      const groups = groupQuery(source, part, from, to, stepMs, seg.offsetMs);
      const packed = SQL`SELECT target_id, COUNT(*) AS n, GROUP_CONCAT(CONCAT_WS(':', t - ${from}, attempts, measured, successes, '')) AS cells FROM (`
        .append(groups)
        .append(SQL`) g GROUP BY target_id`);
      const rows = await db.rows<[number, number, string]>(packed);
      if (rows.every(([, count, cells]) => whole(String(cells), Number(count)))) {
        for (const [id, , cells] of rows) parsePacked(Number(id), String(cells), from, add);
      } else {
        for (const [id, t, attempts, successes, measured] of await db.rows<GroupTuple>(groups)) add(Number(id), Number(t), Number(attempts), Number(measured), Number(successes));
      }
    }
  }
  return out;
}
