/**
 * Connections to MySQL/MariaDB for the mysql dialect: a pool (tarn) of mysql2 connections whose
 * session settings are pinned on open, whose idle connections are recycled before the server's
 * `wait_timeout`, and which waits for a free connection (up to the queue timeout) when the server
 * refuses a new one, instead of failing at once. It also remembers when the server last refused
 * or dropped a connection, for `/api/health`.
 */
import mysql from 'mysql2/promise';
import { Pool } from 'tarn';
import type { MysqlConfig } from '../config.js';

/**
 * The session `sql_mode` every connection runs with, whatever the server's default (issue
 * "Security" §1). Without `NO_BACKSLASH_ESCAPES` and `ANSI_QUOTES`, so the DDL in `sql/mysql` and
 * any literal NetWatch writes mean the same on every server; with the strict modes, so a value
 * that does not fit is an error rather than silently truncated (MariaDB KB "SQL_MODE").
 */
export const SESSION_SQL_MODE = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/** How long a caller waits for a pooled connection before giving up, ms (issue "Security" §2). */
export const QUEUE_TIMEOUT_MS = 5_000;

/** A refused or dropped connection keeps health degraded this long, ms, unless a new one opens since. */
const TROUBLE_WINDOW_MS = 30_000;

/** Prepared statements cached per connection (the server allows 16,382 in all by default). */
const PREPARED_PER_CONNECTION = 128;

/**
 * Thrown when no pooled connection could be had: none became free within {@link QUEUE_TIMEOUT_MS},
 * or the server was unreachable a moment ago (then at once). `code` is the server's refusal when
 * one is known (e.g. `ECONNREFUSED`, `ER_CON_COUNT_ERROR`), else `POOL_TIMEOUT`.
 */
export class PoolTimeoutError extends Error {
  readonly code: string;
  constructor(cause: { reason: string; code: string } | null, waitedMs: number) {
    super(`No database connection within ${waitedMs} ms${cause ? ` (${cause.reason})` : ''}`);
    this.code = cause?.code ?? 'POOL_TIMEOUT';
  }
}

/**
 * Refusals that mean the server is not there (or will not have us) rather than busy: while one
 * happened in the last second, a caller with no free connection fails at once instead of waiting
 * {@link QUEUE_TIMEOUT_MS} for each request (the UI would crawl through an outage). `ER_CON_COUNT_ERROR`
 * is not among them: then a busy connection comes free soon, and waiting is right.
 */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR']);
const FAIL_FAST_MS = 1_000;

/** What the pool knows about the server's willingness to connect. */
export interface PoolHealth {
  /** False while the server recently refused or dropped connections. */
  readonly ok: boolean;
  /** Why not, e.g. `refused a new connection (ER_CON_COUNT_ERROR)`; error codes only; null when ok. */
  readonly reason: string | null;
}

interface Meta {
  dead: boolean;
  /** Handed out: a close now is trouble; a close while idle is the server's `wait_timeout`, and harmless. */
  inUse: boolean;
  lastUsed: number;
  /** Recycle when idle this long, ms: half the server's `wait_timeout`. */
  maxIdleMs: number;
}

/** A pool of pinned connections; see the module comment. */
export interface ConnectionPool {
  /** Runs `fn` on one connection; the connection is destroyed afterwards when it broke meanwhile. @throws {@link PoolTimeoutError} */
  use<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T>;
  /** Whether the server recently refused or dropped connections. */
  health(now: number): PoolHealth;
  /** Closes every connection (waits for those in use). */
  close(): Promise<void>;
}

/** Best effort: `KILL QUERY` a statement our client gave up on, from a short-lived connection of the same account. */
function killQuery(cfg: MysqlConfig, threadId: number | null): void {
  if (threadId === null) return;
  void (async () => {
    const c = await mysql.createConnection(connectOptions(cfg));
    try {
      await c.query(`KILL QUERY ${Number(threadId)}`);
    } finally {
      await c.end();
    }
  })().catch(() => undefined);
}

/** mysql2 options for one NetWatch connection to the configured server. */
export function connectOptions(cfg: MysqlConfig): mysql.ConnectionOptions {
  return {
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    password: cfg.password,
    database: cfg.database,
    supportBigNumbers: true,
    decimalNumbers: true,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    connectTimeout: QUEUE_TIMEOUT_MS,
    enableKeepAlive: true,
    maxPreparedStatements: PREPARED_PER_CONNECTION,
  };
}

/** Options of {@link createConnectionPool}. */
export interface PoolOptions {
  /** Most connections. */
  size: number;
  /** Connections kept open (the writer's reserved connection is opened at once, so other clients cannot take the server's last slots first). */
  min?: number;
  /** Session `lock_wait_timeout` and `innodb_lock_wait_timeout`, whole s; unset keeps the server's (the writer waits out a lock). */
  lockWaitS?: number;
}

/** Creates a pool; see {@link PoolOptions}. */
export function createConnectionPool(cfg: MysqlConfig, opts: PoolOptions): ConnectionPool {
  const meta = new WeakMap<mysql.Connection, Meta>();
  let trouble: { at: number; reason: string; code: string } | null = null;
  const noteTrouble = (reason: string, code: string) => (trouble = { at: Date.now(), reason, code });
  const recentTrouble = (withinMs: number) => (trouble && Date.now() - trouble.at < withinMs ? trouble : null);

  const pool = new Pool<mysql.Connection>({
    min: opts.min ?? 0,
    max: opts.size,
    acquireTimeoutMillis: QUEUE_TIMEOUT_MS,
    createTimeoutMillis: QUEUE_TIMEOUT_MS,
    createRetryIntervalMillis: 250,
    idleTimeoutMillis: 60_000,
    propagateCreateError: false,
    async create() {
      let conn: mysql.Connection;
      try {
        conn = await mysql.createConnection(connectOptions(cfg));
      } catch (err) {
        const e = err as { code?: string };
        // the code only: the driver's message names the account, host or database, and health is public
        noteTrouble(`refused a new connection (${e.code ?? 'error'})`, e.code ?? 'error');
        throw err;
      }
      const m: Meta = { dead: false, inUse: true, lastUsed: Date.now(), maxIdleMs: 60_000 };
      meta.set(conn, m);
      // A fatal error while in use is trouble (server gone, connection killed); our own statement
      // timeout (PROTOCOL_SEQUENCE_TIMEOUT) and an orderly close of an idle connection are not.
      conn.on('error', (err: { code?: string }) => {
        if (!m.dead && !closing && m.inUse && err.code !== 'PROTOCOL_SEQUENCE_TIMEOUT') noteTrouble(`dropped a connection (${err.code ?? 'closed'})`, err.code ?? 'closed');
        m.dead = true;
      });
      conn.on('end', () => (m.dead = true));
      try {
        await conn.query(`SET SESSION sql_mode = '${SESSION_SQL_MODE}'`);
        if (opts.lockWaitS !== undefined) {
          // waits for table, metadata and row locks end with ER_LOCK_WAIT_TIMEOUT instead of holding the connection
          await conn.query(`SET SESSION lock_wait_timeout = ${opts.lockWaitS}, innodb_lock_wait_timeout = ${opts.lockWaitS}`);
        }
        const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT @@session.wait_timeout AS w');
        const waitS = Number(rows[0]?.w ?? 28_800);
        m.maxIdleMs = Math.max(1_000, Math.min(60_000, (waitS * 1000) / 2));
      } catch (err) {
        conn.destroy();
        throw err;
      }
      trouble = null;
      m.inUse = false;
      return conn;
    },
    destroy(conn) {
      conn.destroy();
    },
    validate(conn) {
      const m = meta.get(conn);
      return !!m && !m.dead && Date.now() - m.lastUsed < m.maxIdleMs;
    },
  });
  let closing = false;

  return {
    async use(fn) {
      let conn: mysql.Connection;
      const down = recentTrouble(FAIL_FAST_MS);
      if (down && UNREACHABLE.has(down.code) && pool.numFree() === 0) {
        throw new PoolTimeoutError(down, 0);
      }
      try {
        conn = await pool.acquire().promise;
      } catch {
        throw new PoolTimeoutError(recentTrouble(TROUBLE_WINDOW_MS), QUEUE_TIMEOUT_MS);
      }
      const m = meta.get(conn)!;
      m.inUse = true;
      try {
        return await fn(conn);
      } catch (err) {
        const e = err as { fatal?: boolean; code?: string };
        if (e.fatal) m.dead = true;
        if (e.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
          // mysql2 only stopped waiting: the statement still runs on the server and the connection
          // stays busy. Stop it there and never reuse this connection.
          m.dead = true;
          killQuery(cfg, conn.threadId);
          conn.destroy();
        }
        throw err;
      } finally {
        m.lastUsed = Date.now();
        m.inUse = false;
        // a broken or long-idle connection fails `validate` and is destroyed instead of handed out
        pool.release(conn);
      }
    },
    health(now) {
      if (trouble && now - trouble.at < TROUBLE_WINDOW_MS) return { ok: false, reason: trouble.reason };
      return { ok: true, reason: null };
    },
    async close() {
      closing = true;
      await pool.destroy();
    },
  };
}
