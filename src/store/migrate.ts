/**
 * Versioned migrations: `sql/<dialect>/NNN_name.sql`, applied in order, each recorded in
 * `schema_migrations`. Running again applies nothing; migrations never delete results.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQL } from 'sql-template-strings';
import { projectRoot } from '../paths.js';
import type { Db } from './db.js';

/** One migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly script: string;
}

/** Lists the migrations shipped for a dialect, sorted by version. */
export function listMigrations(dialect: Db['dialect'], dir = join(projectRoot(), 'sql', dialect)): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), script: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Applies every migration not yet recorded. Safe to run from two processes at once (locked).
 * @returns the versions applied by this call
 * @throws the driver's error when a statement fails (that migration is not recorded)
 */
export async function migrate(store: Db, migrations = listMigrations(store.dialect)): Promise<number[]> {
  return store.withMigrationLock(async (db) => {
    await db.execScript('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL, applied_at BIGINT NOT NULL);');
    const done = new Set((await db.all<{ version: number }>(SQL`SELECT version FROM schema_migrations`)).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await db.execScript(m.script);
      await db.run(SQL`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, ${m.name}, ${Date.now()})`);
      applied.push(m.version);
    }
    return applied;
  });
}
