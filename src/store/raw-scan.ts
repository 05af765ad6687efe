/**
 * One target's raw probe rows over a range, read for aggregation (history steps under a minute,
 * location-filtered history; issue 13: 24 h at 1 s is 86,400 rows) as typed columns: start, outcome
 * code and connect time in whole µs. No object or array per row on SQLite: better-sqlite3's per-row
 * decoding (`raw` arrays) cost ≈ 1.5 µs a row on the event loop, several times the query, so SQLite
 * packs the rows of each hour into one string (`GROUP_CONCAT` of `started_at:code:µs:`, as
 * store/wall-cells.ts does for the wall) and this module parses the digits. On MariaDB the server
 * built those strings slower than mysql2 decodes the rows (bench/README.md, "Charts, round 3"), so
 * MariaDB rows are read as arrays. A packed string that holds fewer rows than its count (never
 * seen; SQLite strings go to 1 GB) is read again row by row. Connect times are stored with µs
 * precision (actors/dial.ts), so whole µs lose nothing.
 */
import { SQL, type SQLStatement } from 'sql-template-strings';
import { OUTCOMES } from '../domain/types.js';
import type { Db } from './db.js';
import { andLocation } from './location-filter.js';

/** Raw rows as columns, `n` used entries each, in the order the database returned them. */
export interface RawScan {
  n: number;
  /** started_at, UTC epoch ms. */
  t: Float64Array;
  /** Index of the outcome in OUTCOMES (domain/types.ts); an outcome this version does not know reads as `error`. */
  code: Uint8Array;
  /** Connect time in whole µs; NaN where no handshake completed. */
  connectUs: Float64Array;
}

/** Code of `error`, given to outcomes this version does not know (a newer writer's). */
const ERROR_CODE = OUTCOMES.indexOf('error');
/** Longest range of one packed string, ms: an hour of a 1 s target is ≈ 70 KiB. */
const CHUNK_MS = 3_600_000;
/** Packed strings per statement (SQLite allows 500 terms in a compound SELECT). */
const CHUNKS = 24;

/** `CASE outcome WHEN 'success' THEN 0 … ELSE <error> END`, the names bound. */
function outcomeCode(): SQLStatement {
  const q = SQL`CASE outcome`;
  OUTCOMES.forEach((o, i) => q.append(SQL` WHEN ${o} THEN `).append(String(i)));
  return q.append(` ELSE ${ERROR_CODE} END`);
}

/** One packed row per hour of [from, to) (at most {@link CHUNKS} hours): `k, COUNT(*), GROUP_CONCAT(…)`. */
function packedQuery(targetId: number, from: number, to: number, location: string | undefined): SQLStatement {
  const q = SQL``;
  for (let k = 0, lo = from; lo < to && k < CHUNKS; k++, lo += CHUNK_MS) {
    if (k > 0) q.append(' UNION ALL ');
    q.append(`SELECT ${k} AS k, COUNT(*) AS n, GROUP_CONCAT(CONCAT(started_at, ':', `)
      .append(outcomeCode())
      .append(`, ':', COALESCE(ROUND(connect_ms * 1000), ''), ':')) AS s FROM results`)
      .append(SQL` WHERE target_id = ${targetId} AND started_at >= ${lo} AND started_at < ${Math.min(lo + CHUNK_MS, to)}`)
      .append(andLocation(location));
  }
  return q;
}

/**
 * Parses `started_at:code:µs:` groups (µs empty for none; whole numbers, possibly printed with a
 * `.0`; groups separated by commas) into `out` from entry `at`; returns the entry after the last.
 */
function parsePacked(s: string, out: RawScan, at: number): number {
  let f = 0;
  let x = 0;
  let digits = false;
  let fraction = false;
  let i = at;
  for (let p = 0; p < s.length; p++) {
    const ch = s.charCodeAt(p);
    if (ch >= 48 && ch <= 57) {
      if (!fraction) x = x * 10 + (ch - 48);
      digits = true;
    } else if (ch === 46) fraction = true;
    else if (ch === 58) {
      if (f === 0) out.t[i] = x;
      else if (f === 1) out.code[i] = x < OUTCOMES.length ? x : ERROR_CODE;
      else out.connectUs[i++] = digits ? x : NaN;
      f = f === 2 ? 0 : f + 1;
      x = 0;
      digits = false;
      fraction = false;
    }
  }
  return i;
}

const columns = (size: number): RawScan => ({ n: 0, t: new Float64Array(size), code: new Uint8Array(size), connectUs: new Float64Array(size) });

const CODES = new Map<string, number>(OUTCOMES.map((o, i) => [o, i]));

/** The rows one by one, as arrays (MariaDB; on SQLite the fallback for a short packed string). */
async function byRows(db: Db, targetId: number, from: number, to: number, location: string | undefined): Promise<RawScan> {
  const rows = await db.rows<[number, string, number | null]>(
    SQL`SELECT started_at, outcome, connect_ms FROM results WHERE target_id = ${targetId} AND started_at >= ${from} AND started_at < ${to}`.append(andLocation(location)),
  );
  const out = columns(rows.length);
  for (const [t, o, ms] of rows) {
    out.t[out.n] = Number(t);
    out.code[out.n] = CODES.get(o) ?? ERROR_CODE;
    out.connectUs[out.n++] = ms == null ? NaN : Math.round(Number(ms) * 1000);
  }
  return out;
}

/** `scan` in started_at order: as it is when already so (the index order, in practice), else sorted. */
function ordered(scan: RawScan): RawScan {
  const { n, t } = scan;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = t[i - 1]! <= t[i]!;
  if (sorted) return scan;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
  const out = columns(n);
  out.n = n;
  idx.forEach((j, i) => {
    out.t[i] = t[j]!;
    out.code[i] = scan.code[j]!;
    out.connectUs[i] = scan.connectUs[j]!;
  });
  return out;
}

/**
 * The results of `targetId` in [from, to) (UTC epoch ms) as {@link RawScan} columns in started_at
 * order; with `location` (issue 10) only the probes made from there.
 * @throws the driver's error
 */
export async function scanRaw(db: Db, targetId: number, from: number, to: number, location?: string): Promise<RawScan> {
  if (from >= to) return columns(0);
  // MariaDB builds the packed strings slower than mysql2 decodes the rows (bench/README.md, round 3)
  if (db.dialect === 'mysql') return ordered(await byRows(db, targetId, from, to, location));
  const parts: [number, number, string | Buffer | null][] = [];
  for (let lo = from; lo < to; lo += CHUNK_MS * CHUNKS) parts.push(...(await db.rows<[number, number, string | Buffer | null]>(packedQuery(targetId, lo, to, location))));
  let total = 0;
  for (const [, n] of parts) total += Number(n);
  const out = columns(total);
  for (const [, n, s] of parts) {
    if (Number(n) === 0) continue;
    const next = parsePacked(typeof s === 'string' ? s : String(s ?? ''), out, out.n);
    // a string cut short holds fewer rows than its count
    if (next - out.n !== Number(n)) return ordered(await byRows(db, targetId, from, to, location));
    out.n = next;
  }
  return ordered(out);
}
