/**
 * Runs a test suite against every store: SQLite (a fresh temp file) always, and MariaDB/MySQL
 * (a fresh database on the server in NETWATCH_TEST_MYSQL_URL) when that variable is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { MysqlConfig } from '../../src/config.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openMysql } from '../../src/store/mysql.js';
import { openSqlite } from '../../src/store/sqlite.js';

/** MySQL settings from NETWATCH_TEST_MYSQL_URL (mysql://user:pass@host:port/anything), or null. */
export function testMysqlServer(): Omit<MysqlConfig, 'database'> | null {
  const raw = process.env.NETWATCH_TEST_MYSQL_URL;
  if (!raw) return null;
  const u = new URL(raw);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  };
}

/** A fresh, migrated store and how to remove it. */
export interface TestStore {
  name: 'sqlite' | 'mysql';
  open(): Promise<{ db: Db; config: { mysql: MysqlConfig | null; dataDir: string }; cleanup(): Promise<void> }>;
}

/** Creates an empty MySQL database with a random name; @returns its config and a drop function. */
export async function freshMysqlDatabase(): Promise<{ cfg: MysqlConfig; drop(): Promise<void> } | null> {
  const server = testMysqlServer();
  if (!server) return null;
  const database = `nw_test_${randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection({ ...server });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    cfg: { ...server, database },
    async drop() {
      const c = await mysql.createConnection({ ...server });
      await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await c.end();
    },
  };
}

/** The stores available in this run. */
export const STORES: TestStore[] = [
  {
    name: 'sqlite',
    async open() {
      const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-test-'));
      const db = openSqlite(join(dataDir, 'netwatch.db'));
      await migrate(db);
      return { db, config: { mysql: null, dataDir }, cleanup: async () => { await db.close().catch(() => undefined); rmSync(dataDir, { recursive: true, force: true }); } };
    },
  },
  ...(testMysqlServer()
    ? [
        {
          name: 'mysql' as const,
          async open() {
            const fresh = (await freshMysqlDatabase())!;
            const db = await openMysql(fresh.cfg);
            await migrate(db);
            const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-test-'));
            return { db, config: { mysql: fresh.cfg, dataDir }, cleanup: async () => { await db.close().catch(() => undefined); await fresh.drop(); rmSync(dataDir, { recursive: true, force: true }); } };
          },
        },
      ]
    : []),
];
