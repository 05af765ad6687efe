/**
 * MySQL/MariaDB dialect (mysql2 promise pool), the production store.
 * Values are always passed separately from the SQL text (`?` placeholders from sql-template-strings).
 */
import mysql from 'mysql2/promise';
import { SQL, type SQLStatement } from 'sql-template-strings';
import type { MysqlConfig } from '../config.js';
import type { Db, RunResult } from './db.js';
import { splitScript } from './db.js';

type Queryable = Pick<mysql.Pool, 'query'>;

function handle(conn: Queryable, pool: mysql.Pool | null): Db {
  const query = async (q: SQLStatement) => (await conn.query({ sql: q.sql, values: q.values }))[0];
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
