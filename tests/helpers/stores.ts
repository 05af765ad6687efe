/**
 * Runs a test suite against every store: SQLite (a fresh temp file) always, and MariaDB/MySQL
 * (a fresh database on the server in NETWATCH_TEST_MYSQL_URL) when that variable is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject } from 'vitest';
import type { MysqlConfig } from '../../src/config.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openMysql } from '../../src/store/mysql.js';
import { openSqlite } from '../../src/store/sqlite.js';

/** MySQL settings from a mysql://user:pass@host:port/anything URL. */
function serverFromUrl(raw: string): Omit<MysqlConfig, 'database'> {
  const u = new URL(raw);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    poolSize: 10,
  };
}

/** MySQL settings from NETWATCH_TEST_MYSQL_URL, or null. */
export function testMysqlServer(): Omit<MysqlConfig, 'database'> | null {
  const raw = process.env.NETWATCH_TEST_MYSQL_URL;
  return raw ? serverFromUrl(raw) : null;
}

/**
 * The private MariaDB that tests/global-setup.ts started with a hostile server `sql_mode`
 * (NO_BACKSLASH_ESCAPES, ANSI_QUOTES, …), or null when this run has none.
 */
export function strictMysqlServer(): Omit<MysqlConfig, 'database'> | null {
  let raw: string | null = null;
  try {
    raw = inject('strictMysqlUrl');
  } catch {
    // outside a vitest run (bench/run.ts imports these helpers): no private server
  }
  return raw ? serverFromUrl(raw) : null;
}

/** A fresh, migrated store and how to remove it. */
export interface TestStore {
  name: 'sqlite' | 'mysql' | 'mysql-strict';
  open(): Promise<{ db: Db; config: { mysql: MysqlConfig | null; dataDir: string }; cleanup(): Promise<void> }>;
}

/** Creates an empty database with a random name on `server` (default: NETWATCH_TEST_MYSQL_URL's); @returns its config and a drop function. */
export async function freshMysqlDatabase(server = testMysqlServer()): Promise<{ cfg: MysqlConfig; drop(): Promise<void> } | null> {
  if (!server) return null;
  const database = `nw_test_${randomBytes(5).toString('hex')}`;
  const { poolSize: _unused, ...connection } = server; // mysql2 warns about options it does not know
  const admin = await mysql.createConnection(connection);
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    cfg: { ...server, database },
    async drop() {
      const c = await mysql.createConnection(connection);
      await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await c.end();
    },
  };
}

function mysqlStore(name: 'mysql' | 'mysql-strict', server: Omit<MysqlConfig, 'database'>): TestStore {
  return {
    name,
    async open() {
      const fresh = (await freshMysqlDatabase(server))!;
      const db = await openMysql(fresh.cfg);
      await migrate(db);
      const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-test-'));
      return {
        db,
        config: { mysql: fresh.cfg, dataDir },
        cleanup: async () => {
          await db.close().catch(() => undefined);
          await fresh.drop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

const shared = testMysqlServer();
const strict = strictMysqlServer();

/** The stores available in this run: SQLite always; the shared MariaDB and the strict private one when present. */
export const STORES: TestStore[] = [
  {
    name: 'sqlite',
    async open() {
      const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-test-'));
      const db = openSqlite(join(dataDir, 'netwatch.db'));
      await migrate(db);
      return {
        db,
        config: { mysql: null, dataDir },
        cleanup: async () => {
          await db.close().catch(() => undefined);
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
  ...(shared ? [mysqlStore('mysql', shared)] : []),
  ...(strict ? [mysqlStore('mysql-strict', strict)] : []),
];
