/**
 * MySQL/MariaDB dialect (mysql2 promise pool), the production store.
 * Values are always passed separately from the SQL text (`?` placeholders from sql-template-strings).
 */
import mysql from 'mysql2/promise';
import { SQL, type SQLStatement } from 'sql-template-strings';
import type { MysqlConfig } from '../config.js';
import type { Db, RunResult } from './db.js';
import { outcomeIncrements, placeholders, RESULT_COLUMNS, resultValues, ROLLUP_COLUMNS, ROLLUP_WIDTH, rollupValues, splitScript } from './db.js';

type Queryable = Pick<mysql.Pool, 'query'>;

/**
 * Longest a single statement outside a transaction may take, ms: API reads and writes then fail
 * (503) instead of hanging on a locked table. Transactions (the writer's flush, migrations,
 * rollup rebuilds) have no limit; the writer keeps its batch until they finish.
 */
const STATEMENT_TIMEOUT_MS = 15_000;

function handle(conn: Queryable, pool: mysql.Pool | null): Db {
  const timeout = pool ? STATEMENT_TIMEOUT_MS : undefined;
  const query = async (q: SQLStatement) => (await conn.query({ sql: q.sql, values: q.values, ...(timeout && { timeout }) }))[0];
  const db: Db = {
    dialect: 'mysql',
    all: async <T>(q: SQLStatement) => (await query(q)) as T[],
    get: async <T>(q: SQLStatement) => ((await query(q)) as T[])[0],
    async run(q): Promise<RunResult> {
      const r = (await query(q)) as mysql.ResultSetHeader;
      return { changes: r.affectedRows, lastId: r.insertId };
    },
    async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
      if (!pool) return fn(db);
      const c = await pool.getConnection();
      try {
        await c.beginTransaction();
        const value = await fn(handle(c, null));
        await c.commit();
        return value;
      } catch (err) {
        await c.rollback().catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    async execScript(script) {
      for (const statement of splitScript(script)) await conn.query(statement);
    },
    async deleteResultsChunk(targetId, before, limit) {
      const r = await db.run(SQL`DELETE FROM results WHERE target_id = ${targetId} AND started_at < ${before} LIMIT ${limit}`);
      return r.changes;
    },
    async insertResults(rows) {
      // one multi-row INSERT per 1,000 rows; the text is cached per size, every value bound
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        const values: unknown[] = [];
        for (const r of chunk) resultValues(values, r);
        await conn.query({ sql: `INSERT INTO results ${RESULT_COLUMNS} VALUES ${placeholders(chunk.length, 8)}`, values });
      }
    },
    async upsertRollups(table, rows) {
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        const values: unknown[] = [];
        for (const r of chunk) rollupValues(values, r);
        await conn.query({
          sql: `INSERT INTO ${table} ${ROLLUP_COLUMNS} VALUES ${placeholders(chunk.length, ROLLUP_WIDTH)}
          ON DUPLICATE KEY UPDATE attempts = attempts + VALUES(attempts),
          successes = successes + VALUES(successes), connect_sum = connect_sum + VALUES(connect_sum),
          connect_count = connect_count + VALUES(connect_count),
          connect_min = LEAST(COALESCE(connect_min, VALUES(connect_min)), COALESCE(VALUES(connect_min), connect_min)),
          connect_max = GREATEST(COALESCE(connect_max, VALUES(connect_max)), COALESCE(VALUES(connect_max), connect_max)),
          ${outcomeIncrements((c) => `VALUES(${c})`)}`,
          values,
        });
      }
    },
    async withMigrationLock(fn) {
      if (!pool) return fn();
      const c = await pool.getConnection();
      try {
        const [rows] = await c.query<mysql.RowDataPacket[]>(SQL`SELECT GET_LOCK('netwatch_migrate', 60) AS got`);
        if (rows[0]?.got !== 1) throw new Error('Timed out waiting for another NetWatch to finish migrating');
        try {
          return await fn();
        } finally {
          await c.query(SQL`SELECT RELEASE_LOCK('netwatch_migrate')`);
        }
      } finally {
        c.release();
      }
    },
    async close() {
      if (pool) await pool.end();
    },
  };
  return db;
}

/**
 * Opens a connection pool to MySQL/MariaDB and checks it with one round trip.
 * @throws the driver's error (e.g. ECONNREFUSED, ER_ACCESS_DENIED_ERROR, ER_BAD_DB_ERROR)
 */
export async function openMysql(cfg: MysqlConfig): Promise<Db> {
  const pool = mysql.createPool({
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    password: cfg.password,
    database: cfg.database,
    connectionLimit: 8,
    supportBigNumbers: true,
    decimalNumbers: true,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
  });
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return handle(pool, pool);
}
