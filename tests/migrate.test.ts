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

  it('migration 011 fills the 5-minute rollups from the 1-minute ones, equal to what the writer stores', async () => {
    const at = Date.UTC(2026, 5, 1, 12, 0, 0);
    const rows = [0, 59_999, 60_000, 299_999, 300_000, 301_000, 3_599_999].map((dt, i) => ({
      targetId: 7,
      startedAt: at + dt,
      outcome: (i % 3 === 2 ? 'timeout' : 'success') as 'success' | 'timeout',
      connectMs: i % 3 === 2 ? null : 1 + i / 4,
      dnsMs: null,
      address: '127.0.0.1',
      localPort: 1,
      errorCode: null,
    }));
    await storeBatch(db, rows);
    const read = () => db.all(SQL`SELECT * FROM results_5m WHERE target_id = 7 ORDER BY bucket`);
    const written = await read();
    expect(written.map((r) => Number((r as { attempts: number }).attempts))).toEqual([4, 2, 1]);
    await db.run(SQL`DROP TABLE results_5m`);
    await db.run(SQL`DELETE FROM schema_migrations WHERE version = 11`);
    expect(await migrate(db)).toEqual([11]);
    expect(await read()).toEqual(written);
  });

  it('migration 014 renames channel names several channels share (oldest keeps it; audited), then makes names unique', async () => {
    const add = (name: string) => db.run(SQL`INSERT INTO channels (name, kind, config, secret, is_default, created_at, updated_at) VALUES (${name}, 'ntfy', '{}', NULL, 0, 1, 1)`);
    // as before 014: no unique index, and (MariaDB) the old case-blind column
    await db.run(db.dialect === 'mysql' ? SQL`DROP INDEX channels_name ON channels` : SQL`DROP INDEX channels_name`);
    if (db.dialect === 'mysql') await db.run(SQL`ALTER TABLE channels MODIFY name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL`);
    await db.run(SQL`DELETE FROM schema_migrations WHERE version = 14`);
    const long = 'x'.repeat(100);
    const ids: number[] = [];
    for (const name of ['mail', 'mail', 'Mail', 'mail', 'ops', long, long]) ids.push((await add(name)).lastId);
    expect(await migrate(db)).toEqual([14]);
    const rows = await db.all<{ id: number; name: string }>(SQL`SELECT id, name FROM channels ORDER BY id`);
    expect(rows.map((r) => r.name)).toEqual(['mail', `mail (duplicate ${ids[1]})`, 'Mail', `mail (duplicate ${ids[3]})`, 'ops', long, `${'x'.repeat(77)} (duplicate ${ids[6]})`]);
    const audit = await db.all<{ entity_id: number; changes: string }>(SQL`SELECT entity_id, changes FROM audit_log WHERE actor = 'migration' ORDER BY entity_id`);
    expect(audit.map((a) => [Number(a.entity_id), JSON.parse(a.changes)])).toEqual([
      [ids[1], { name: { before: 'mail', after: `mail (duplicate ${ids[1]})` } }],
      [ids[3], { name: { before: 'mail', after: `mail (duplicate ${ids[3]})` } }],
      [ids[6], { name: { before: long, after: `${'x'.repeat(77)} (duplicate ${ids[6]})` } }],
    ]);
    await expect(add('ops')).rejects.toMatchObject({ code: expect.stringMatching(/^(ER_DUP_ENTRY|SQLITE_CONSTRAINT_UNIQUE)$/) });
    // names are compared exactly on both stores
    await add('OPS');
  });
});
