/**
 * What a hostile or unlucky client meets, on every store: parallel login guesses and spelling
 * variants share one budget, Unicode usernames, racing creates, oversized bodies, a missing table
 * (503, not 500), a second process on one SQLite file, and missing UI assets.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { openStore, StoreInUseError } from '../src/store/index.js';
import { testApp, type Client } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

describe.each(STORES)('hardening on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let c: Client;
  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db);
    c = app.client();
    await c.login('admin', 'correct horse');
  });
  afterAll(() => s.cleanup());

  it('parallel wrong guesses and spelling variants share one budget of 10 per minute', async () => {
    const names = ['admin', 'ADMIN', 'Admin', 'aDmin'];
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => app.client().req('POST', '/api/login', { username: names[i % names.length], password: `wrong ${i}` })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 401)).toHaveLength(10);
    expect(statuses.filter((x) => x === 429)).toHaveLength(20);
    expect((await app.client().req('POST', '/api/login', { username: 'admin', password: 'correct horse' })).status).toBe(429);
  });

  it('behind a trusted proxy the budget is per forwarded client; otherwise X-Forwarded-For is ignored', async () => {
    const fresh = await store.open();
    try {
      for (const trust of ['true', 'false']) {
        const a = await testApp(fresh.db, { env: { NETWATCH_TRUST_PROXY: trust }, setupToken: null });
        const from = (ip: string) => ({ 'x-forwarded-for': `203.0.113.9, ${ip}` });
        for (let i = 0; i < 10; i++) await a.client().req('POST', '/api/login', { username: `u${trust}`, password: 'wrong guess' }, from('192.0.2.1'));
        const same = await a.client().req('POST', '/api/login', { username: `u${trust}`, password: 'wrong guess' }, from('192.0.2.1'));
        const other = await a.client().req('POST', '/api/login', { username: `u${trust}`, password: 'wrong guess' }, from('192.0.2.2'));
        expect(same.status).toBe(429);
        expect(other.status).toBe(trust === 'true' ? 401 : 429);
      }
    } finally {
      await fresh.cleanup();
    }
  });

  it('matches usernames case-insensitively in full Unicode, and only that', async () => {
    expect((await c.req('POST', '/api/users', { username: 'Émile', password: 'password 123' })).status).toBe(201);
    expect((await app.client().req('POST', '/api/login', { username: 'émile', password: 'password 123' })).status).toBe(204);
    expect((await app.client().req('POST', '/api/login', { username: 'Emile', password: 'password 123' })).status).toBe(401);
    expect((await app.client().req('POST', '/api/login', { username: 'Émile ', password: 'password 123' })).status).toBe(401);
    expect((await c.req('POST', '/api/users', { username: 'éMILE', password: 'password 123' })).status).toBe(409);
    // accents and ß are different letters on both stores (MariaDB's collation used to fold them)
    expect((await c.req('POST', '/api/users', { username: 'emile', password: 'password 123' })).status).toBe(201);
    expect((await c.req('POST', '/api/users', { username: 'straße', password: 'password 123' })).status).toBe(201);
    expect((await c.req('POST', '/api/users', { username: 'strasse', password: 'password 123' })).status).toBe(201);
  });

  it('a password change racing a delete of that user gives 404, never a 500', async () => {
    for (let i = 0; i < 3; i++) {
      const u = (await c.req('POST', '/api/users', { username: `race${i}`, password: 'password 123' })).json as { id: number };
      const [put, del] = await Promise.all([c.req('PUT', `/api/users/${u.id}`, { password: 'new password 1' }), c.req('DELETE', `/api/users/${u.id}`)]);
      expect(del.status).toBe(204);
      expect([200, 404]).toContain(put.status);
    }
  });

  it('one address gets at most 60 login attempts a minute, whatever names it tries', async () => {
    const a = await testApp(s.db, { setupToken: null });
    const statuses = [];
    for (let i = 0; i < 61; i++) statuses.push((await a.client().req('POST', '/api/login', { username: `made-up-${i}`, password: 'x' })).status);
    expect(statuses.slice(0, 60).every((x) => x === 401)).toBe(true);
    expect(statuses[60]).toBe(429);
  });

  it('racing creates of one name give one 201 and 409s, never a 500', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => c.req('POST', '/api/users', { username: 'dupx', password: 'password 123' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('refuses a body over 64 KiB with 413 before reading it whole', async () => {
    const r = await c.req('POST', '/api/targets', { name: 'x'.repeat(70 * 1024) });
    expect(r.status).toBe(413);
    expect(r.json.error).toBe('too_large');
  });

  it('answers 503 database_unavailable, not 500, when a table is missing, and recovers', async () => {
    await s.db.run(SQL`ALTER TABLE targets RENAME TO targets_away`);
    try {
      const r = await c.req('GET', '/api/targets');
      expect(r.status).toBe(503);
      expect(r.json.error).toBe('database_unavailable');
      expect(JSON.stringify(r.json)).not.toMatch(/targets_away|nw_test/);
    } finally {
      await s.db.run(SQL`ALTER TABLE targets_away RENAME TO targets`);
    }
    expect((await c.req('GET', '/api/targets')).status).toBe(200);
  });
});

describe('one process per SQLite file, and UI assets', () => {
  it('a second openStore on the same data dir is refused with a clear error', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-lock-'));
    const first = await openStore({ mysql: null, dataDir });
    try {
      await expect(openStore({ mysql: null, dataDir })).rejects.toBeInstanceOf(StoreInUseError);
    } finally {
      await first.close();
    }
    const again = await openStore({ mysql: null, dataDir });
    await again.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a missing asset is a 404, while UI paths fall back to index.html', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-ui-'));
    const ui = join(dataDir, 'ui');
    mkdirSync(join(ui, 'assets'), { recursive: true });
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>nw</title>');
    writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)');
    const db = await openStore({ mysql: null, dataDir });
    const deps = { config: loadConfig({}), db, log: pino({ level: 'silent' }), actors: null, sessionSecret: 'x'.repeat(40), setup: { token: null }, now: Date.now };
    const appUi = buildApp(deps, ui);
    expect((await appUi.request('/assets/app.js')).status).toBe(200);
    expect((await appUi.request('/assets/missing.js')).status).toBe(404);
    const page = await appUi.request('/targets/3/history');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>nw</title>');
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
