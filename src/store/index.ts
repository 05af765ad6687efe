/**
 * Opens the configured store: MySQL/MariaDB when configured, else the SQLite file
 * `<dataDir>/netwatch.db`; then applies migrations and rebuilds rollups when they are missing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { rebuildRollups, rollupsMissing } from './rollups.js';
import { openMysql } from './mysql.js';
import { openSqlite } from './sqlite.js';
import { lockDataDir } from './process-lock.js';

export type { Db } from './db.js';

export { StoreInUseError } from './process-lock.js';

function withRelease(db: Db, release: () => void): Db {
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * Opens and migrates the store.
 * @throws the driver's error when the database is unreachable or a migration fails;
 *   {@link StoreInUseError} when another live process holds the SQLite data folder (see process-lock.ts)
 */
export async function openStore(config: Pick<Config, 'mysql' | 'dataDir'>): Promise<Db> {
  let db: Db;
  if (config.mysql) {
    db = await openMysql(config.mysql);
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    const file = join(config.dataDir, 'netwatch.db');
    const release = lockDataDir(config.dataDir, file);
    try {
      db = withRelease(openSqlite(file), release);
    } catch (err) {
      release();
      throw err;
    }
  }
  try {
    await migrate(db);
    if (await rollupsMissing(db)) await rebuildRollups(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
