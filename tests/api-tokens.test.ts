/**
 * Personal API tokens (issue 14 §1) on every store: shown once and stored only as SHA-256, listed
 * with last use and client address, revoked at once, gone with their user, expiring, acting with
 * the user's current role, the same 401 as no session for a wrong token, and a per-address limit.
 */
import { createHash } from 'node:crypto';
import { SQL } from 'sql-template-strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BAD_TOKENS_PER_ADDRESS } from '../src/http/bearer.js';
import { testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const PASSWORD = 'password 123';

describe.each(STORES)('API tokens on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let now = Date.UTC(2031, 0, 1);
  let admin: ReturnType<typeof app.client>;
  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db, { now: () => now, env: { NETWATCH_TRUST_PROXY: 'true' } });
    admin = app.client();
    await admin.login('admin', 'correct horse');
  });
  afterAll(() => s.cleanup());

  const tokenClient = (token: string, from = '127.0.0.9') => {
    const c = app.client();
    c.bearer = token;
    return { req: (m: string, p: string, b?: unknown) => c.req(m, p, b, { 'x-forwarded-for': from }) };
  };

  it('is shown once, stored only as its SHA-256, and listed with last use and client address', async () => {
    const r = await admin.req('POST', '/api/tokens', { name: 'ci pipeline' });
    expect(r.status).toBe(201);
    const token = r.json.token as string;
    expect(token).toMatch(/^nwt_[A-Za-z0-9_-]{43}$/);
    expect(r.json).toMatchObject({ id: expect.any(Number), name: 'ci pipeline', createdAt: now, expiresAt: null, lastUsedAt: null, lastUsedFrom: null });
    const rows = await s.db.all<Record<string, unknown>>(SQL`SELECT * FROM api_tokens`);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    expect(rows.find((x) => Number(x.id) === r.json.id)!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));

    now += 5_000;
    const me = await tokenClient(token, '127.0.0.42').req('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ username: 'admin', role: 'admin' });
    const list = (await admin.req('GET', '/api/tokens')).json.tokens as Record<string, unknown>[];
    const mine = list.find((t) => t.id === r.json.id)!;
    expect(mine).toEqual({ id: r.json.id, name: 'ci pipeline', createdAt: now - 5_000, expiresAt: null, lastUsedAt: now, lastUsedFrom: '127.0.0.42' });
    expect(JSON.stringify(list)).not.toContain('token_hash');
  });

  it('works on writes without a cookie or an origin, and stops on the next request after revocation', async () => {
    const r = await admin.req('POST', '/api/tokens', { name: 'revoke me' });
    const t = tokenClient(r.json.token);
    const created = await t.req('POST', '/api/targets', { name: 'By token', host: '127.0.0.1', port: 9, intervalSeconds: 10, retentionValue: 7, retentionUnit: 'day' });
    expect(created.status).toBe(201);
    expect((await admin.req('DELETE', `/api/tokens/${r.json.id}`)).status).toBe(204);
    const after = await t.req('GET', '/api/targets');
    const none = await app.client().req('GET', '/api/targets');
    expect(after.status).toBe(401);
    expect(after.json).toEqual(none.json);
    expect((await admin.req('DELETE', `/api/tokens/${r.json.id}`)).status).toBe(404);
  });

  it('expires at its expiry time', async () => {
    const r = await admin.req('POST', '/api/tokens', { name: 'short', expiresAt: now + 60_000 });
    expect(r.status).toBe(201);
    const t = tokenClient(r.json.token);
    expect((await t.req('GET', '/api/me')).status).toBe(200);
    now += 60_000;
    expect((await t.req('GET', '/api/me')).status).toBe(401);
  });

  it('400 per field for a bad name or an expiry in the past', async () => {
    const r = await admin.req('POST', '/api/tokens', { name: '  ', expiresAt: now - 1 });
    expect(r.status).toBe(400);
    expect(r.json.fields).toEqual({ name: 'Name is required.', expiresAt: 'Expiry must be in the future.' });
    expect((await admin.req('POST', '/api/tokens', { name: 'x', extra: 1 })).status).toBe(400);
  });

  it("acts with its user's current role; only an admin sees and revokes another user's token; deleting the user revokes it", async () => {
    const u = await admin.req('POST', '/api/users', { username: 'scripter', password: PASSWORD, role: 'viewer' });
    const v = app.client();
    await v.login('scripter', PASSWORD);
    const tok = await v.req('POST', '/api/tokens', { name: 'viewer script' });
    expect(tok.status).toBe(201);
    const t = tokenClient(tok.json.token);
    expect((await t.req('GET', '/api/targets')).status).toBe(200);
    expect((await t.req('POST', '/api/targets', {})).status).toBe(403);
    expect((await t.req('GET', '/api/users')).status).toBe(403);
    await admin.req('PUT', `/api/users/${u.json.id}`, { role: 'admin' });
    expect((await t.req('GET', '/api/users')).status).toBe(200);
    // a non-admin cannot see or revoke others' tokens; an admin sees every user's and can revoke any
    await admin.req('PUT', `/api/users/${u.json.id}`, { role: 'viewer' });
    const adminTok = (await admin.req('POST', '/api/tokens', { name: 'admin own' })).json;
    expect((await v.req('DELETE', `/api/tokens/${adminTok.id}`)).status).toBe(404);
    expect((await v.req('GET', '/api/tokens?all=true')).status).toBe(403);
    expect((await v.req('GET', '/api/tokens')).json.tokens.map((x: { name: string }) => x.name)).toEqual(['viewer script']);
    const all = (await admin.req('GET', '/api/tokens?all=true')).json.tokens as { id: number; username: string; name: string }[];
    expect(all.find((x) => x.id === tok.json.id)).toMatchObject({ username: 'scripter', name: 'viewer script' });
    expect(JSON.stringify(all)).not.toMatch(/hash/);
    const second = (await v.req('POST', '/api/tokens', { name: 'leaked' })).json;
    expect((await tokenClient(second.token).req('GET', '/api/me')).status).toBe(200);
    expect((await admin.req('DELETE', `/api/tokens/${second.id}`)).status).toBe(204);
    expect((await tokenClient(second.token).req('GET', '/api/me')).status).toBe(401);
    expect((await admin.req('DELETE', `/api/users/${u.json.id}`)).status).toBe(204);
    expect((await t.req('GET', '/api/me')).status).toBe(401);
    expect(await s.db.all(SQL`SELECT id FROM api_tokens WHERE user_id = ${u.json.id}`)).toEqual([]);
  });

  it("another scheme's Authorization header (a proxy's Basic) is left to the session checks", async () => {
    const basic = { authorization: `Basic ${Buffer.from('proxy:pw').toString('base64')}` };
    expect((await admin.req('GET', '/api/me', undefined, basic)).status).toBe(200);
    expect((await app.client().req('GET', '/api/me', undefined, basic)).status).toBe(401);
    expect((await app.client().req('GET', '/api/me', undefined, { authorization: 'bearer' })).status).toBe(401);
  });

  it('a malformed or wrong token gets the 401 of no session; too many from one address get 429, others are unaffected', async () => {
    const none = await app.client().req('GET', '/api/me');
    for (const bad of ['nwt_wrong', 'a b c', '']) {
      const r = await tokenClient(bad, '127.0.0.77').req('GET', '/api/me');
      expect(r.status).toBe(401);
      expect(r.json).toEqual(none.json);
    }
    const good = (await admin.req('POST', '/api/tokens', { name: 'good' })).json.token as string;
    for (let i = 2; i < MAX_BAD_TOKENS_PER_ADDRESS; i++) expect((await tokenClient(`nwt_${i}`, '127.0.0.77').req('GET', '/api/me')).status).toBe(401);
    const limited = await tokenClient('nwt_more', '127.0.0.77').req('GET', '/api/me');
    expect(limited.status).toBe(429);
    expect(Number(limited.json && (await tokenClient(good, '127.0.0.77').req('GET', '/api/me')).status)).toBe(429);
    expect((await tokenClient(good, '127.0.0.78').req('GET', '/api/me')).status).toBe(200);
    // password logins have their own limits: this address can still log in
    const c = app.client();
    expect((await c.req('POST', '/api/login', { username: 'admin', password: 'correct horse' }, { 'x-forwarded-for': '127.0.0.77' })).status).toBe(204);
  });
});
