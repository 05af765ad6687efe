/**
 * Issue "Security" §1 on every store, including a private MariaDB whose server sql_mode is
 * NO_BACKSLASH_ESCAPES,ANSI_QUOTES,STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY ('mysql-strict'):
 * values round-trip byte-exact, LIKE wildcards match literally, and injection attempts through
 * every parameter that reaches SQL return only what the same input returns on SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import type { Db } from '../src/store/db.js';
import { createTarget, getTarget } from '../src/store/targets.js';
import { createUser, findUserByName } from '../src/store/users.js';
import { testApp, type Client } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

/** Text that quoting, escaping or comment handling could alter (no NUL; printable and emoji). */
const TRICKY = [
  "O'Brien",
  'say "hi"',
  'back\\slash',
  'trailing\\',
  "\\'; DROP TABLE users; --",
  '50% off_now',
  'dash -- comment',
  'c /* style */ comment',
  '#hash',
  '`backtick`',
  'no\u00a0break space',
  'emoji 😀🛰️ 👩‍💻',
  '!bang!escape',
];

const base = { port: 443, intervalSeconds: 60, timeoutMs: null, retentionValue: 7, retentionUnit: 'day' as const, enabled: false };

describe.each(STORES)('SQL safety on $name', (store) => {
  let db: Db;
  let client: Client;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const s = await store.open();
    db = s.db;
    cleanup = s.cleanup;
    const t = await testApp(db);
    client = t.client();
    await client.login('admin', 'correct horse');
  });
  afterAll(async () => cleanup());

  it('pins the session sql_mode on MySQL (no NO_BACKSLASH_ESCAPES or ANSI_QUOTES, strict kept)', async () => {
    if (db.dialect !== 'mysql') return;
    const row = await db.get<{ mode: string }>(SQL`SELECT @@session.sql_mode AS mode`);
    const modes = row!.mode.split(',');
    expect(modes).not.toContain('NO_BACKSLASH_ESCAPES');
    expect(modes).not.toContain('ANSI_QUOTES');
    expect(modes).toEqual(expect.arrayContaining(['STRICT_TRANS_TABLES', 'STRICT_ALL_TABLES']));
  });

  it('stores names and hosts byte-exact through the store', async () => {
    for (const text of TRICKY) {
      const t = await createTarget(db, { ...base, name: text, host: text }, 1);
      const back = await getTarget(db, t.id);
      expect(back!.name).toBe(text);
      expect(back!.host).toBe(text);
    }
  });

  it('stores usernames byte-exact through the store', async () => {
    for (const [i, text] of TRICKY.entries()) {
      const name = `${text}#${i}`;
      await createUser(db, name, 'hash', 1);
      expect((await findUserByName(db, name))?.username).toBe(name);
    }
  });

  it('round-trips tricky names through the API', async () => {
    for (const name of TRICKY) {
      const created = await client.req('POST', '/api/targets', { name, host: 'example.com', port: 443, intervalSeconds: 60, retentionValue: 1, retentionUnit: 'day', enabled: false });
      expect(created.status, name).toBe(201);
      const got = await client.req('GET', `/api/targets/${created.json.id}`);
      expect(got.json.name).toBe(name);
      const put = await client.req('PUT', `/api/targets/${created.json.id}`, { name: `${name}'"\\` });
      expect(put.status).toBe(200);
      expect(put.json.name).toBe(`${name}'"\\`);
    }
  });

  it('matches %, _ and ! literally in search (LIKE … ESCAPE)', async () => {
    for (const name of ['zz 50% off', 'zz 500 off', 'zz a_b', 'zz axb', 'zz bang!x', 'zz bangx']) {
      await createTarget(db, { ...base, name, host: 'example.com' }, 1);
    }
    const names = async (q: string) => {
      const r = await client.req('GET', `/api/targets?q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      return (r.json.targets as { name: string }[])
        .map((t) => t.name)
        .filter((n) => n.startsWith('zz '))
        .sort();
    };
    expect(await names('50%')).toEqual(['zz 50% off']);
    expect(await names('a_b')).toEqual(['zz a_b']);
    expect(await names('bang!')).toEqual(['zz bang!x']);
    expect(await names('zz %')).toEqual([]);
    expect(await names('zz _')).toEqual([]);
  });

  it('searches by Unicode lower case and keeps accents, the same on every store', async () => {
    for (const name of ['yy Café ÉCOLE', 'yy cafe ecole', 'yy ΣΟΦΙΑ', 'yy Straße']) await createTarget(db, { ...base, name, host: 'example.com' }, 1);
    const names = async (q: string) =>
      ((await client.req('GET', `/api/targets?q=${encodeURIComponent(q)}`)).json.targets as { name: string }[])
        .map((t) => t.name)
        .filter((n) => n.startsWith('yy '))
        .sort();
    expect(await names('école')).toEqual(['yy Café ÉCOLE']);
    expect(await names('ÉCOLE')).toEqual(['yy Café ÉCOLE']);
    expect(await names('ecole')).toEqual(['yy cafe ecole']);
    expect(await names('σοφια')).toEqual(['yy ΣΟΦΙΑ']);
    expect(await names('strasse')).toEqual([]);
    expect(await names('STRASSE')).toEqual([]);
    await createUser(db, 'Zoë', 'hash', 1);
    const users = await client.req('GET', `/api/users?q=${encodeURIComponent('ZOË')}`);
    expect(users.json.users.map((u: { username: string }) => u.username)).toEqual(['Zoë']);
    expect((await client.req('GET', '/api/users?q=zoe')).json.users).toEqual([]);
  });

  it('answers injection attempts through every parameter as plain values', async () => {
    const users = (await db.all<{ id: number }>(SQL`SELECT id FROM users`)).length;
    const targets = (await db.all<{ id: number }>(SQL`SELECT id FROM targets`)).length;
    const attempts = ["zzz' or 1=0) union select *,1,1,1,1,1,1 from users -- x", "zzz\\' or 1=1 -- x", 'zzz" or "1"="1', "zzz' or '1'='1", "zzz'; DELETE FROM users; -- "];
    for (const q of attempts) {
      const r = await client.req('GET', `/api/targets?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
      expect(r.json.targets, q).toEqual([]);
      expect(JSON.stringify(r.json)).not.toMatch(/scrypt|password/i);
      const u = await client.req('GET', `/api/users?q=${encodeURIComponent(q)}`);
      expect(u.status, q).toBe(200);
      expect(u.json.users, q).toEqual([]);
    }
    for (const id of ['1 or 1=1', "1' or '1'='1", '1;DELETE FROM targets', '0x1', '-1', '1e3']) {
      const path = encodeURIComponent(id);
      expect((await client.req('GET', `/api/targets/${path}`)).status, id).toBe(404);
      expect((await client.req('GET', `/api/targets/${path}/history`)).status, id).toBe(404);
      expect((await client.req('DELETE', `/api/targets/${path}`)).status, id).toBe(404);
      expect((await client.req('GET', `/api/users/${path}`)).status, id).toBe(404);
    }
    const first = (await db.get<{ id: number }>(SQL`SELECT MIN(id) AS id FROM targets`))!.id;
    for (const v of ['1 or 1=1', "0' union select 1 -- ", '1;DELETE FROM results', '1e12']) {
      const r = await client.req('GET', `/api/targets/${first}/history?from=${encodeURIComponent(v)}`);
      expect(r.status, v).toBe(400);
      expect(r.json.fields.from).toBeTruthy();
      const s = await client.req('GET', `/api/targets/${first}/results?to=${encodeURIComponent(v)}`);
      expect(s.status, v).toBe(400);
    }
    const ids = await client.req('GET', `/api/sparklines?ids=${encodeURIComponent('1) or (1=1')}`);
    expect(ids.status).toBe(400);
    for (const username of ["admin' -- ", "admin'#", "' or '1'='1", 'admin" -- ', "x' union select * from users -- "]) {
      const other = testApp(db, { setupToken: null });
      const c = (await other).client();
      const r = await c.req('POST', '/api/login', { username, password: "' or '1'='1" });
      expect(r.status, username).toBe(401);
    }
    expect((await db.all(SQL`SELECT id FROM users`)).length).toBe(users);
    expect((await db.all(SQL`SELECT id FROM targets`)).length).toBe(targets);
  });
});
