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

export type { Db } from './db.js';

/**
 * Opens and migrates the store.
 * @throws the driver's error when the database is unreachable or a migration fails
 */
export async function openStore(config: Pick<Config, 'mysql' | 'dataDir'>): Promise<Db> {
  let db: Db;
  if (config.mysql) {
    db = await openMysql(config.mysql);
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    db = openSqlite(join(config.dataDir, 'netwatch.db'));
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
