/** Migrations on every store: applied once, in order, recorded; running again changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import type { Db } from '../src/store/db.js';
import { listMigrations, migrate } from '../src/store/migrate.js';
import { storeBatch } from '../src/store/rollups.js';
import { STORES } from './helpers/stores.js';

describe('migration files', () => {
  it('both dialects ship the same versions and names', () => {
    const names = (d: 'mysql' | 'sqlite') => listMigrations(d).map((m) => `${m.version}_${m.name}`);
    expect(names('mysql')).toEqual(names('sqlite'));
    expect(names('sqlite').length).toBeGreaterThanOrEqual(2);
  });
  it('no migration deletes results', () => {
    for (const d of ['mysql', 'sqlite'] as const) {
      for (const m of listMigrations(d)) expect(m.script).not.toMatch(/(DROP|DELETE FROM|TRUNCATE)\s+(TABLE\s+)?results\b/i);
    }
  });
});

describe.each(STORES)('migrate on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await store.open()));
  afterAll(async () => cleanup());

  it('running again applies nothing and keeps data', async () => {
    await storeBatch(db, [{ targetId: 1, startedAt: 1000, outcome: 'success', connectMs: 1, dnsMs: null, address: '127.0.0.1', localPort: 1, errorCode: null }]);
    expect(await migrate(db)).toEqual([]);
    const versions = await db.all<{ version: number }>(SQL`SELECT version FROM schema_migrations ORDER BY version`);
    expect(versions.map((v) => Number(v.version))).toEqual(listMigrations(db.dialect).map((m) => m.version));
    expect((await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM results`))!.n).toBe(1);
  });
});
