/**
 * MySQL/MariaDB dialect (mysql2 connections from {@link createConnectionPool}), the production store.
 * Every value travels as a parameter of a server-side prepared statement (mysql2 `execute`), never
 * in the SQL text, so the server's `sql_mode` (e.g. `NO_BACKSLASH_ESCAPES`) cannot change what a
 * value means (issue "Security" §1). Bulk writes use a few fixed batch sizes, so the per-connection
 * statement cache holds a handful of statements and no statement passes the protocol's 65,535
 * placeholders.
 */
import mysql from 'mysql2/promise';
import { SQL, type SQLStatement } from 'sql-template-strings';
import type { MysqlConfig } from '../config.js';
import type { Db, RunResult } from './db.js';
import { fixedChunks, placeholders, splitScript } from './db.js';
import { outcomeIncrements } from './outcome-columns.js';
import { byResultKey, RESULT_COLUMNS, RESULT_WIDTH, resultValues, ROLLUP_COLUMNS, ROLLUP_WIDTH, rollupValues } from './rows.js';
import { connectOptions, createConnectionPool, type ConnectionPool } from './mysql-pool.js';

/**
 * Longest a single statement outside a transaction may take, ms: API reads and writes then fail
 * (503) instead of hanging on a locked table (issue "Run for months unattended" §3). Transactions (the writer's flush, migrations,
 * rollup rebuilds) have no limit; the writer keeps its batch until they finish.
 */
const STATEMENT_TIMEOUT_MS = 5_000;

/**
 * API connections give up waiting for a table, metadata or row lock after this many s
 * (ER_LOCK_WAIT_TIMEOUT → 503): inside transactions too, where no client timeout applies, and the
 * connection stays usable. The writer's connection waits the lock out instead and stores afterwards.
 */
const LOCK_WAIT_S = 4;

/** Largest batch of one bulk statement, rows: 1,024 × 8 and 512 × ROLLUP_WIDTH placeholders, well under 65,535. */
const RESULT_BATCH = 1024;
const ROLLUP_BATCH = 512;

const UPSERT_ROLLUP = `ON DUPLICATE KEY UPDATE attempts = attempts + VALUES(attempts),
  successes = successes + VALUES(successes), connect_sum = connect_sum + VALUES(connect_sum),
  connect_count = connect_count + VALUES(connect_count),
  connect_min = LEAST(COALESCE(connect_min, VALUES(connect_min)), COALESCE(VALUES(connect_min), connect_min)),
  connect_max = GREATEST(COALESCE(connect_max, VALUES(connect_max)), COALESCE(VALUES(connect_max), connect_max)),
  ${outcomeIncrements((c) => `VALUES(${c})`)}`;

/** The values mysql2's `execute` binds (strings, numbers, null, Buffers, …). */
type Params = Parameters<mysql.Connection['execute']>[1];

/** mysql2's explicit parameter types (a JS number is otherwise sent as DOUBLE). */
const typed = (mysql as unknown as { TypedParameter: { BIGINT(v: number): unknown } }).TypedParameter;

/**
 * Binds one value: whole numbers as BIGINT, since MySQL ≥ 8.0.22 refuses a DOUBLE for `LIMIT ?`
 * ("Incorrect arguments to mysqld_stmt_execute") and an integer compares with our BIGINT columns
 * as is; `undefined` as NULL; the rest as mysql2 infers (strings, fractional numbers, Buffers).
 */
const param = (v: unknown): unknown => (v === undefined ? null : typeof v === 'number' && Number.isSafeInteger(v) ? typed.BIGINT(v) : v);

/** Runs one statement as a prepared statement (`rowsAsArray`: rows as arrays of column values). */
async function execute(conn: mysql.Connection, sql: string, values: readonly unknown[], timeout?: number, rowsAsArray = false): Promise<unknown> {
  const params = values.map(param) as Params;
  return (await conn.execute({ sql, ...(timeout ? { timeout } : {}), ...(rowsAsArray ? { rowsAsArray } : {}) }, params))[0];
}

/**
 * Runs one bulk write (raw rows, rollup increments) as a prepared statement with its values as
 * they are: numbers go as DOUBLE, which stores exactly in our BIGINT/INT columns (integers below
 * 2^53), without a typed wrapper per value; mysql2's per-value encoding was most of the writer's
 * client time (issue 12 §3, bench/README.md).
 */
async function executeBulk(conn: mysql.Connection, sql: string, values: unknown[]): Promise<void> {
  await conn.execute({ sql }, values as Params);
}

/** The statements of a {@link Db} on whatever connection `on` gives them. */
type On = <T>(fn: (conn: mysql.Connection) => Promise<T>) => Promise<T>;

function handle(on: On, pool: ConnectionPool, inTx: boolean): Db {
  const timeout = inTx ? undefined : STATEMENT_TIMEOUT_MS;
  const query = (q: SQLStatement) => on((c) => execute(c, q.sql, q.values, timeout));
  const db: Db = {
    dialect: 'mysql',
    all: async <T>(q: SQLStatement) => (await query(q)) as T[],
    rows: async <T extends unknown[]>(q: SQLStatement) => (await on((c) => execute(c, q.sql, q.values, timeout, true))) as T[],
    get: async <T>(q: SQLStatement) => ((await query(q)) as T[])[0],
    async run(q): Promise<RunResult> {
      const r = (await query(q)) as mysql.ResultSetHeader;
      return { changes: r.affectedRows, lastId: r.insertId };
    },
    async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
      if (inTx) return fn(db);
      return pool.use(async (c) => {
        await c.beginTransaction();
        try {
          const value = await fn(handle((f) => f(c), pool, true));
          await c.commit();
          return value;
        } catch (err) {
          await c.rollback().catch(() => undefined);
          throw err;
        }
      });
    },
    async execScript(script) {
      // migrations: DDL without values, which the prepared-statement protocol does not take for every statement
      await on(async (c) => {
        for (const statement of splitScript(script)) await c.query(statement);
      });
    },
    async deleteResultsChunk(targetId, before, limit) {
      const r = await db.run(SQL`DELETE FROM results WHERE target_id = ${targetId} AND started_at < ${before} LIMIT ${limit}`);
      return r.changes;
    },
    async insertResults(unsorted) {
      const rows = byResultKey(unsorted);
      await on(async (c) => {
        let i = 0;
        for (const size of fixedChunks(rows.length, RESULT_BATCH)) {
          const values: unknown[] = [];
          for (const r of rows.slice(i, (i += size))) resultValues(values, r);
          await executeBulk(c, `INSERT INTO results ${RESULT_COLUMNS} VALUES ${placeholders(size, RESULT_WIDTH)}`, values);
        }
      });
    },
    async upsertRollups(table, rows) {
      await on(async (c) => {
        let i = 0;
        for (const size of fixedChunks(rows.length, ROLLUP_BATCH)) {
          const values: unknown[] = [];
          for (const r of rows.slice(i, (i += size))) rollupValues(values, r);
          await executeBulk(c, `INSERT INTO ${table} ${ROLLUP_COLUMNS} VALUES ${placeholders(size, ROLLUP_WIDTH)} ${UPSERT_ROLLUP}`, values);
        }
      });
    },
    async withMigrationLock(fn) {
      if (inTx) return fn(db);
      return pool.use(async (c) => {
        const [rows] = await c.execute<mysql.RowDataPacket[]>("SELECT GET_LOCK('netwatch_migrate', 60) AS got");
        if (rows[0]?.got !== 1) throw new Error('Timed out waiting for another NetWatch to finish migrating');
        try {
          // the migration runs on the lock's connection: it needs no second one from the pool
          return await fn(handle((f) => f(c), pool, true));
        } finally {
          await c.execute("SELECT RELEASE_LOCK('netwatch_migrate')");
        }
      });
    },
    health: (now) => pool.health(now),
    forWriter: () => db,
    forPresence: () => db,
    async close() {
      if (!inTx) await pool.close();
    },
  };
  return db;
}

/**
 * Opens the API's pool (`cfg.poolSize` connections), the writer's reserved connection and the
 * node heartbeat's (see {@link Db.forPresence}), and
 * checks the server with one round trip.
 * @throws the driver's error (e.g. ECONNREFUSED, ER_ACCESS_DENIED_ERROR, ER_BAD_DB_ERROR)
 */
export async function openMysql(cfg: MysqlConfig): Promise<Db> {
  // one plain connection first, so a wrong password or host fails at once with the driver's code
  await (await mysql.createConnection(connectOptions(cfg))).end();
  const apiPool = createConnectionPool(cfg, { size: cfg.poolSize, lockWaitS: LOCK_WAIT_S });
  const writerPool = createConnectionPool(cfg, { size: 1, min: 1 });
  // a node's heartbeat connection (issue 10): never waits behind the writer or the API
  const presencePool = createConnectionPool(cfg, { size: 1 }); // opened by the first heartbeat
  const api = handle((fn) => apiPool.use(fn), apiPool, false);
  const writer = handle((fn) => writerPool.use(fn), writerPool, false);
  const presence = handle((fn) => presencePool.use(fn), presencePool, false);
  const db: Db = {
    ...api,
    forWriter: () => writer,
    forPresence: () => presence,
    health(now) {
      const a = apiPool.health(now);
      return a.ok ? writerPool.health(now) : a;
    },
    async close() {
      await Promise.all([apiPool.close(), writerPool.close(), presencePool.close()]);
    },
  };
  try {
    await db.get(SQL`SELECT 1 AS ok`);
    await writer.get(SQL`SELECT 1 AS ok`);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
