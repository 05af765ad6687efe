/**
 * The one small interface both storage dialects implement (`mysql.ts`, `sqlite.ts`).
 * Table modules (targets.ts, results.ts, …) take a {@link Db} as their first argument and
 * build every query as a `sql-template-strings` statement with bound values.
 */
import type { SQLStatement } from 'sql-template-strings';
import type { ProbeResult } from '../domain/types.js';
import type { RollupRow, RollupTable } from './rows.js';

/** Which engine a {@link Db} talks to. */
export type DialectName = 'mysql' | 'sqlite';

/** Outcome of a write statement. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
  /** Auto-increment id of the last inserted row (0 when none). */
  readonly lastId: number;
}

/** See {@link Db.health}. */
export interface StoreHealth {
  readonly ok: boolean;
  /** Why not ok, for operators (no credentials); null when ok. */
  readonly reason: string | null;
}

/** A database handle. All methods reject with the driver's error on failure. */
export interface Db {
  readonly dialect: DialectName;
  /** Runs a query and returns every row. */
  all<T>(query: SQLStatement): Promise<T[]>;
  /**
   * Runs a query and returns every row as an array of its column values in SELECT order, without
   * an object per row (issue 13: 86,400-row reads of one day at 1 s, where building row objects
   * cost more than the query itself; SQLite `raw` statements, mysql2 `rowsAsArray`).
   */
  rows<T extends unknown[]>(query: SQLStatement): Promise<T[]>;
  /** Runs a query and returns its first row, or undefined. */
  get<T>(query: SQLStatement): Promise<T | undefined>;
  /** Runs a write statement. */
  run(query: SQLStatement): Promise<RunResult>;
  /**
   * Runs `fn` in one transaction on one connection: committed when `fn` resolves,
   * rolled back (and the error rethrown) when it rejects.
   */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Runs a script of `;`-terminated statements without bound values (migrations only). */
  execScript(script: string): Promise<void>;
  /**
   * Deletes at most `limit` rows of `results` of one target started before `before`
   * (UTC epoch ms); returns how many went. The two engines spell a bounded DELETE differently.
   */
  deleteResultsChunk(targetId: number, before: number, limit: number): Promise<number>;
  /**
   * Inserts probe results into `results` (MySQL: one multi-row INSERT per 1,000 rows; SQLite: one
   * prepared single-row INSERT run per row, which SQLite executes faster than a multi-row one).
   * Call it inside {@link Db.tx} for all-or-nothing.
   */
  insertResults(rows: readonly ProbeResult[]): Promise<void>;
  /**
   * Adds rollup increments to `table` (counts and sums added, min/max combined); the two engines
   * spell an upsert differently (MySQL: one multi-row upsert per 500 rows; SQLite: one prepared
   * single-row upsert per row).
   */
  upsertRollups(table: RollupTable, rows: readonly RollupRow[]): Promise<void>;
  /**
   * Whether the store can take new work: MySQL reports `ok: false` with a reason while the server
   * refuses or drops connections (last 30 s); SQLite is always ok. `now`: UTC epoch ms.
   */
  health(now: number): StoreHealth;
  /**
   * The handle the result writer uses. MySQL: a connection of its own that API requests cannot
   * take, so bursts of requests never stall result storage (issue "Security" §2); SQLite: this handle.
   */
  forWriter(): Db;
  /**
   * The handle a node's heartbeat uses (issue 10). MySQL: a connection of its own, open as long as
   * the process, so its disappearance from the server's process list means the process exited, and
   * a heartbeat never waits behind the writer's transactions or API requests (a node whose writer
   * was seconds behind missed its heartbeats, judged itself dead and stopped probing);
   * SQLite: this handle.
   */
  forPresence(): Db;
  /**
   * Takes a named lock across processes for `fn` (migrations) and gives `fn` the handle to run them
   * on (MySQL: the lock's own connection, so migrating needs one connection; SQLite: this handle).
   */
  withMigrationLock<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Closes every connection; pending queries finish first. */
  close(): Promise<void>;
}

/** Splits a migration script into statements (statements end with `;` at a line end). */
export function splitScript(script: string): string[] {
  return script
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

const tupleCache = new Map<string, string>();
/**
 * `(?, …), (?, …)`: `rows` placeholder tuples of `width` values each (cached; the writer's batches
 * repeat the same few sizes). Values are still bound, never spliced into the text.
 */
export function placeholders(rows: number, width: number): string {
  const key = `${rows}x${width}`;
  let text = tupleCache.get(key);
  if (text === undefined) {
    const tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
    text = new Array<string>(rows).fill(tuple).join(', ');
    if (tupleCache.size > 64) tupleCache.clear();
    tupleCache.set(key, text);
  }
  return text;
}

/**
 * Splits `total` rows into batch sizes from a fixed set: `max` while at least `max` remain, then
 * the powers of two of the remainder (e.g. 2,600 with max 1,024 → 1,024, 1,024, 512, 32, 8).
 * A prepared statement per distinct size stays cached, so a few sizes keep the cache small.
 */
export function fixedChunks(total: number, max: number): number[] {
  const out: number[] = [];
  let left = total;
  while (left >= max) {
    out.push(max);
    left -= max;
  }
  for (let size = max >> 1; size >= 1; size >>= 1) {
    if (left >= size) {
      out.push(size);
      left -= size;
    }
  }
  return out;
}

/**
 * `ids` padded to the next power of two (at least 8) by repeating the last id, for an `IN (…)`
 * list: the result set is the same, and a handful of list lengths keep the number of distinct
 * prepared statements per connection small (MySQL's `max_prepared_stmt_count` is server-wide).
 */
export function paddedIds(ids: readonly number[]): number[] {
  let size = 8;
  while (size < ids.length) size *= 2;
  const out = ids.slice();
  while (out.length < size) out.push(ids[ids.length - 1]!);
  return out;
}
