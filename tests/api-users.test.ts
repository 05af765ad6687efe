/** User API on every store: list/search, create, rename, password rules, delete rules, no hashes out. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/db.js';
import { countUsers, deleteUser, findUserByName } from '../src/store/users.js';
import { testApp, type Client } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

describe.each(STORES)('users API on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let c: Client;
  const bodies: unknown[] = [];
  /** c.req, remembering every response body for the "no hash" check. */
  const req = async (method: string, path: string, body?: unknown) => {
    const r = await c.req(method, path, body);
    bodies.push(r.json);
    return r;
  };
  const create = async (username: string, password = 'password 123') => {
    const r = await req('POST', '/api/users', { username, password });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json as { id: number; username: string; role: string; createdAt: number };
  };
  const canLogin = async (username: string, password: string) => (await app.client().req('POST', '/api/login', { username, password })).status === 204;

  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db, { now: () => 1_900_000_000_000 });
    c = app.client();
    await c.login('admin', 'correct horse');
  });
  afterAll(() => s.cleanup());

  it('creates users (201) and lists and searches them', async () => {
    const alice = await create('alice');
    expect(alice).toEqual({ id: expect.any(Number), username: 'alice', role: 'admin', createdAt: 1_900_000_000_000 });
    await create('Alicia');
    await create('bob');
    const list = (await req('GET', '/api/users')).json.users as { username: string }[];
    expect(list.map((u) => u.username).sort()).toEqual(['Alicia', 'admin', 'alice', 'bob']);
    for (const u of list) expect(Object.keys(u).sort()).toEqual(['createdAt', 'id', 'role', 'username']);
    const names = async (q: string) => ((await req('GET', `/api/users?q=${encodeURIComponent(q)}`)).json.users as { username: string }[]).map((u) => u.username).sort();
    expect(await names('ALI')).toEqual(['Alicia', 'alice']);
    expect(await names('bo')).toEqual(['bob']);
    expect(await names('%')).toEqual([]);
    expect(await names('_')).toEqual([]);
    expect((await req('GET', `/api/users/${alice.id}`)).json).toEqual(alice);
    expect(await canLogin('alice', 'password 123')).toBe(true);
  });

  it.each(['admin', 'ADMIN', 'Admin'])('409 for a taken username, case-insensitively: %s', async (username) => {
    const r = await req('POST', '/api/users', { username, password: 'password 123' });
    expect(r.status).toBe(409);
    expect(r.json.error).toBe('conflict');
  });

  it.each([
    ['a'.repeat(7), 400],
    ['a'.repeat(8), 201],
    ['a'.repeat(256), 201],
    ['a'.repeat(257), 400],
    ['😀'.repeat(8), 201],
    ['😀'.repeat(257), 400],
  ] as const)('password #%# (%s) → %i', async (password, status) => {
    const username = `pw${bodies.length}`;
    const r = await req('POST', '/api/users', { username, password });
    expect(r.status).toBe(status);
    if (status === 400) expect(Object.keys(r.json.fields)).toEqual(['password']);
    else expect(await canLogin(username, password)).toBe(true);
  });

  it.each([
    [{ username: 'has space', password: 'password 123' }, 'username'],
    [{ username: '', password: 'password 123' }, 'username'],
    [{ username: 'u'.repeat(65), password: 'password 123' }, 'username'],
    [{ username: 'ok-name' }, 'password'],
    [{ username: 'ok-name', password: 'password 123', admin: true }, 'admin'],
  ])('400 for an invalid user body %#', async (body, field) => {
    const r = await req('POST', '/api/users', body);
    expect(r.status).toBe(400);
    expect(Object.keys(r.json.fields)).toEqual([field]);
  });

  it('keeps spaces in passwords as typed', async () => {
    await create('spacey', '  spaced pass  ');
    expect(await canLogin('spacey', '  spaced pass  ')).toBe(true);
    expect(await canLogin('spacey', 'spaced pass')).toBe(false);
  });

  it('renames a user; the new name logs in, a taken name is 409', async () => {
    const dan = await create('dan');
    const r = await req('PUT', `/api/users/${dan.id}`, { username: 'daniel' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ...dan, username: 'daniel' });
    expect(await canLogin('daniel', 'password 123')).toBe(true);
    expect(await canLogin('dan', 'password 123')).toBe(false);
    expect((await req('PUT', `/api/users/${dan.id}`, { username: 'ALICE' })).status).toBe(409);
    expect((await req('PUT', `/api/users/${dan.id}`, { username: 'Daniel' })).json.username).toBe('Daniel');
    expect((await req('PUT', `/api/users/${dan.id}`, {})).status).toBe(400);
    expect((await req('PUT', `/api/users/${dan.id}`, { password: 'short' })).json.fields).toHaveProperty('password');
    for (const id of ['999999', 'abc', '99999999999']) expect((await req('PUT', `/api/users/${id}`, { username: 'x' })).status).toBe(404);
  });

  it('deletes another user (204) but not yourself (409)', async () => {
    const eve = await create('eve');
    const del = await req('DELETE', `/api/users/${eve.id}`);
    expect(del.status).toBe(204);
    expect((await req('GET', `/api/users/${eve.id}`)).status).toBe(404);
    expect(await canLogin('eve', 'password 123')).toBe(false);
    expect((await req('DELETE', `/api/users/${eve.id}`)).status).toBe(404);
    const me = (await req('GET', '/api/me')).json;
    const self = await req('DELETE', `/api/users/${me.id}`);
    expect(self.status).toBe(409);
    expect(self.json).toEqual({ error: 'conflict', message: expect.stringMatching(/yourself/) });
    expect(await findUserByName(s.db, 'admin')).toBeDefined();
  });

  it('refuses to delete the last user (409) when the deleting user vanished meanwhile', async () => {
    const fresh = await store.open();
    try {
      const other = await testApp(fresh.db);
      const a = other.client();
      await a.login('admin', 'correct horse');
      const b = (await a.req('POST', '/api/users', { username: 'only-other', password: 'password 123' })).json;
      // Arrange: between the request's checks and its transaction, another admin deletes the caller,
      // leaving `only-other` as the only user.
      const racing: Db = {
        ...fresh.db,
        tx: async (fn) => {
          await deleteUser(fresh.db, (await findUserByName(fresh.db, 'admin'))!.id);
          return fresh.db.tx(fn);
        },
      };
      const raced = (await testApp(racing, { setupToken: null })).client();
      raced.cookie = a.cookie;
      const r = await raced.req('DELETE', `/api/users/${b.id}`);
      expect(r.status).toBe(409);
      expect(r.json.message).toMatch(/last user/);
      expect(await countUsers(fresh.db)).toBe(1);
      expect(await findUserByName(fresh.db, 'only-other')).toBeDefined();
    } finally {
      await fresh.cleanup();
    }
  });

  it('two users deleting each other at once never leave zero users', async () => {
    const fresh = await store.open();
    try {
      const t = await testApp(fresh.db);
      let survivor = { username: 'admin', password: 'correct horse' };
      for (let round = 0; round < 6; round++) {
        const [a, b] = [t.client(), t.client()];
        await a.login(survivor.username, survivor.password);
        const other = { username: `racer${round}`, password: 'password 123' };
        const bob = (await a.req('POST', '/api/users', other)).json;
        await b.login(other.username, other.password);
        const me = (await a.req('GET', '/api/me')).json;
        const [ra, rb] = await Promise.all([a.req('DELETE', `/api/users/${bob.id}`), b.req('DELETE', `/api/users/${me.id}`)]);
        expect(
          [ra.status, rb.status].filter((x) => x === 204),
          `round ${round}: ${ra.status} ${rb.status}`,
        ).toHaveLength(1);
        expect(await countUsers(fresh.db)).toBe(1);
        if (rb.status === 204) survivor = other;
      }
    } finally {
      await fresh.cleanup();
    }
  });

  it('never returns a password hash', async () => {
    const u = await create('hashless');
    await req('PUT', `/api/users/${u.id}`, { password: 'new password 1' });
    await req('GET', `/api/users/${u.id}`);
    await req('GET', '/api/users');
    const all = JSON.stringify(bodies);
    expect(bodies.length).toBeGreaterThan(30);
    expect(all).not.toMatch(/scrypt|password_hash|passwordHash|"hash"/);
  });
});
