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
import lockfile from 'proper-lockfile';

export type { Db } from './db.js';

/** Thrown when another NetWatch already runs on the same SQLite file (both would probe everything). */
export class StoreInUseError extends Error {
  readonly code = 'STORE_IN_USE';
  constructor(file: string) {
    super(`${file} is in use by another NetWatch process; stop it or give this one another NETWATCH_DATA_DIR`);
  }
}

/** Takes `<file>.lock` (refreshed every 10 s, stale after 30 s) so one process owns the file. */
async function lockSqlite(file: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(file, { realpath: false, stale: 30_000, update: 10_000, onCompromised: () => undefined });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') throw new StoreInUseError(file);
    throw err;
  }
}

function withRelease(db: Db, release: () => Promise<void>): Db {
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        await release().catch(() => undefined);
      }
    },
  };
}

/**
 * Opens and migrates the store.
 * @throws the driver's error when the database is unreachable or a migration fails;
 *   {@link StoreInUseError} when another process holds the SQLite file
 */
export async function openStore(config: Pick<Config, 'mysql' | 'dataDir'>): Promise<Db> {
  let db: Db;
  if (config.mysql) {
    db = await openMysql(config.mysql);
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    const file = join(config.dataDir, 'netwatch.db');
    db = withRelease(openSqlite(file), await lockSqlite(file));
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
