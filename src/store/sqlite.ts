/**
 * SQLite dialect (better-sqlite3, synchronous driver behind the async {@link Db} interface).
 * Used when `MYSQL_HOST` is unset: one file, WAL journal, one connection.
 * Transactions are serialised with a queue so other callers never run inside someone's transaction.
 */
import Database from 'better-sqlite3';
import { SQL, type SQLStatement } from 'sql-template-strings';
import type { Db, RunResult } from './db.js';
import { placeholders, splitScript } from './db.js';
import { outcomeIncrements } from './outcome-columns.js';
import { RESULT_COLUMNS, RESULT_WIDTH, resultValues, ROLLUP_COLUMNS, ROLLUP_WIDTH, rollupValues } from './rows.js';

type Bindable = string | number | bigint | Buffer | null;

function bind(values: unknown[]): Bindable[] {
  return values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : (v as Bindable)));
}

/**
 * Opens (creating if missing) the SQLite database at `file` (`:memory:` allowed).
 * @throws the driver's error when the file cannot be opened
 */
export function openSqlite(file: string): Db {
  const conn = new Database(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = NORMAL');
  // better-sqlite3 waits for a lock synchronously, freezing the event loop (and every probe's timer):
  // wait briefly, then fail; the writer retries with backoff and the API answers 503.
  conn.pragma('busy_timeout = 100');
  conn.pragma('foreign_keys = ON');
  // SQLite's LOWER() folds ASCII only; search (like.ts) needs Unicode lower case, as MySQL's gives
  conn.function('lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v) as string | null);
  // The writer's batches touch one index page per target; a larger page cache avoids re-reading
  // them, and checkpointing every ~40 MB of WAL (not every 4 MB) cuts the write-back and fsyncs
  // per stored row several times (issue "Performance at scale": strace of 300 batches of 1,000).
  conn.pragma('cache_size = -65536');
  conn.pragma('wal_autocheckpoint = 10000');
  const cache = new Map<string, Database.Statement>();
  const prepare = (q: SQLStatement): Database.Statement => {
    let stmt = cache.get(q.sql);
    if (!stmt) {
      stmt = conn.prepare(q.sql);
      if (cache.size > 500) cache.clear();
      cache.set(q.sql, stmt);
    }
    return stmt;
  };
  // the same statements in raw mode (rows as arrays), cached apart: `raw` is a statement's state
  const rawCache = new Map<string, Database.Statement>();
  const prepareRaw = (q: SQLStatement): Database.Statement => {
    let stmt = rawCache.get(q.sql);
    if (!stmt) {
      stmt = conn.prepare(q.sql).raw(true);
      if (rawCache.size > 100) rawCache.clear();
      rawCache.set(q.sql, stmt);
    }
    return stmt;
  };
  let queue: Promise<unknown> = Promise.resolve();
  let inTransaction = false;
  const wait = async (): Promise<void> => {
    while (inTransaction) await queue.catch(() => undefined);
  };

  const direct = {
    all: async <T>(q: SQLStatement) => prepare(q).all(...bind(q.values)) as T[],
    rows: async <T extends unknown[]>(q: SQLStatement) => prepareRaw(q).all(...bind(q.values)) as T[],
    get: async <T>(q: SQLStatement) => prepare(q).get(...bind(q.values)) as T | undefined,
    run: async (q: SQLStatement): Promise<RunResult> => {
      const r = prepare(q).run(...bind(q.values));
      return { changes: r.changes, lastId: Number(r.lastInsertRowid) };
    },
  };

  // Bulk writes run one prepared single-row statement per row: SQLite executes that faster than
  // one multi-row statement with thousands of bound values, and nothing is re-parsed.
  const bulk = new Map<string, Database.Statement>();
  const bulkStatement = (key: string, text: () => string) => {
    let stmt = bulk.get(key);
    if (!stmt) bulk.set(key, (stmt = conn.prepare(text())));
    return stmt;
  };
  const insertResults: Db['insertResults'] = async (rows) => {
    const stmt = bulkStatement('results', () => `INSERT INTO results ${RESULT_COLUMNS} VALUES ${placeholders(1, RESULT_WIDTH)}`);
    const v: unknown[] = [];
    for (const r of rows) {
      v.length = 0;
      resultValues(v, r);
      stmt.run(v);
    }
  };
  const upsertRollups: Db['upsertRollups'] = async (table, rows) => {
    const stmt = bulkStatement(
      table,
      () => `INSERT INTO ${table} ${ROLLUP_COLUMNS} VALUES ${placeholders(1, ROLLUP_WIDTH)}
      ON CONFLICT (target_id, bucket) DO UPDATE SET attempts = attempts + excluded.attempts,
        successes = successes + excluded.successes, connect_sum = connect_sum + excluded.connect_sum,
        connect_count = connect_count + excluded.connect_count,
        connect_min = min(coalesce(connect_min, excluded.connect_min), coalesce(excluded.connect_min, connect_min)),
        connect_max = max(coalesce(connect_max, excluded.connect_max), coalesce(excluded.connect_max, connect_max)),
        ${outcomeIncrements((c) => `excluded.${c}`)}`,
    );
    const v: unknown[] = [];
    for (const r of rows) {
      v.length = 0;
      rollupValues(v, r);
      stmt.run(v);
    }
  };

  /**
   * The statements of a {@link Db} on the one connection. The outer handle (`inTx` false) first
   * waits for a running transaction to end; a transaction's own handle (`inTx` true) runs at once,
   * and every method of it (nested tx, bulk writes, forWriter, withMigrationLock) stays inside
   * that transaction instead of waiting on the transaction's own queue.
   */
  const handle = (inTx: boolean): Db => {
    const gate = inTx ? null : wait;
    const self: Db = {
      dialect: 'sqlite',
      async all<T>(q: SQLStatement) {
        if (gate) await gate();
        return direct.all<T>(q);
      },
      async rows<T extends unknown[]>(q: SQLStatement) {
        if (gate) await gate();
        return direct.rows<T>(q);
      },
      async get<T>(q: SQLStatement) {
        if (gate) await gate();
        return direct.get<T>(q);
      },
      async run(q) {
        if (gate) await gate();
        return direct.run(q);
      },
      async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
        if (inTx) return fn(self);
        const previous = queue;
        let release!: () => void;
        queue = new Promise<void>((r) => (release = r));
        await previous.catch(() => undefined);
        inTransaction = true;
        try {
          conn.exec('BEGIN IMMEDIATE');
          const value = await fn(handle(true));
          conn.exec('COMMIT');
          return value;
        } catch (err) {
          if (conn.inTransaction) conn.exec('ROLLBACK');
          throw err;
        } finally {
          inTransaction = false;
          release();
        }
      },
      async execScript(script) {
        if (gate) await gate();
        for (const statement of splitScript(script)) conn.exec(statement);
      },
      async deleteResultsChunk(targetId, before, limit) {
        const r = await self.run(SQL`DELETE FROM results WHERE id IN (SELECT id FROM results WHERE target_id = ${targetId} AND started_at < ${before} LIMIT ${limit})`);
        return r.changes;
      },
      async insertResults(rows) {
        // one transaction for the rows (inside a transaction: that one)
        await self.tx(() => insertResults(rows));
      },
      async upsertRollups(table, rows) {
        if (gate) await gate();
        await upsertRollups(table, rows);
      },
      async withMigrationLock(fn) {
        return fn(self);
      },
      // one file, one connection: nothing to refuse; a locked file shows in the writer's stats instead
      health: () => ({ ok: true, reason: null }),
      forWriter: () => self,
      forPresence: () => self,
      async close() {
        // a transaction's handle does not close the connection it borrows
        if (inTx) return;
        await wait();
        cache.clear();
        rawCache.clear();
        bulk.clear();
        conn.close();
      },
    };
    return self;
  };
  const db = handle(false);
  return db;
}
