/**
 * Fresh stores for a bench section: a temporary SQLite file, or a new database on
 * NETWATCH_TEST_MYSQL_URL's server (dropped after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQL } from 'sql-template-strings';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openMysql } from '../../src/store/mysql.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { freshMysqlDatabase } from '../../tests/helpers/stores.js';

interface Store {
  db: Db;
  dialect: 'sqlite' | 'mysql';
  cleanup(): Promise<void>;
}

export async function openFresh(dialect: 'sqlite' | 'mysql'): Promise<Store> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'netwatch-bench-'));
    const db = openSqlite(join(dir, 'netwatch.db'));
    await migrate(db);
    return {
      db,
      dialect,
      cleanup: async () => {
        await db.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const fresh = await freshMysqlDatabase();
  if (!fresh) throw new Error('NETWATCH_TEST_MYSQL_URL is not set');
  const db = await openMysql(fresh.cfg);
  await migrate(db);
  return {
    db,
    dialect,
    cleanup: async () => {
      await db.close().catch(() => undefined);
      await fresh.drop();
    },
  };
}

export async function countRows(db: Db, table = 'results'): Promise<number> {
  const r = await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM `.append(table));
  return Number(r?.n ?? 0);
}
