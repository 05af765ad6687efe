/** Login, sessions, rate limiting, first-run setup and root-user bootstrap, on every store. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapUsers, logSetupUrl } from '../src/auth/bootstrap.js';
import { buildApp } from '../src/http/app.js';
import { COOKIE } from '../src/http/session.js';
import { countUsers, createUser, findUserByName } from '../src/store/users.js';
import { hashPassword } from '../src/auth/password.js';
import { Client, testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const WRONG = { error: 'unauthorized', message: 'Wrong username or password.' };

/** A pino logger at trace level writing into a string. */
function captureLog() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { log: pino({ level: 'trace' }, stream), text: () => text };
}

describe.each(STORES)('auth API on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db);
  });
  afterAll(() => s.cleanup());
  /** Another app on the same store (fresh rate limiter), without creating `admin` again. */
  const again = (opts: Parameters<typeof testApp>[1] = {}) => testApp(s.db, { setupToken: null, ...opts });

  it('login → 204 and an HttpOnly, SameSite=Strict cookie, Secure only over https', async () => {
    const c = app.client();
    const r = await c.req('POST', '/api/login', { username: 'admin', password: 'correct horse' });
    expect(r.status).toBe(204);
    const set = r.headers.get('set-cookie')!;
    expect(set).toMatch(new RegExp(`^${COOKIE}=[^;]{20,}`));
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\//);
    expect(set).toMatch(/; Max-Age=43200/);
    expect(set).not.toMatch(/Secure/);
    expect((await c.req('GET', '/api/me')).json).toEqual({ id: expect.any(Number), username: 'admin', role: 'admin', createdAt: expect.any(Number) });
    // X-Forwarded-Proto counts only from a trusted proxy (NETWATCH_TRUST_PROXY; matrix in http-security.test.ts)
    const untrusted = await app.client().req('POST', '/api/login', { username: 'ADMIN', password: 'correct horse' }, { 'x-forwarded-proto': 'https' });
    expect(untrusted.status).toBe(204);
    expect(untrusted.headers.get('set-cookie')).not.toMatch(/Secure/);
    const proxied = await testApp(s.db, { env: { NETWATCH_TRUST_PROXY: 'true' }, setupToken: null });
    const https = await proxied.client().req('POST', '/api/login', { username: 'ADMIN', password: 'correct horse' }, { 'x-forwarded-proto': 'https' });
    expect(https.status).toBe(204);
    expect(https.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('gives the same 401 for an unknown user and a wrong password, and no cookie', async () => {
    const c = (await again()).client();
    for (const body of [
      { username: 'nobody', password: 'correct horse' },
      { username: 'admin', password: 'wrong horse' },
      { username: 'admin', password: 'correct horse ' },
    ]) {
      const r = await c.req('POST', '/api/login', body);
      expect(r.status).toBe(401);
      expect(r.json).toEqual(WRONG);
      expect(r.headers.get('set-cookie')).toBeNull();
    }
    expect((await c.req('POST', '/api/login', { username: 'admin' })).json.fields).toHaveProperty('password');
  });

  it('blocks the 11th failure within a minute with 429 + Retry-After, per username', async () => {
    const c = (await again()).client();
    for (let i = 0; i < 10; i++) expect((await c.req('POST', '/api/login', { username: 'admin', password: `nope ${i}` })).status).toBe(401);
    for (const password of ['nope again', 'correct horse']) {
      const r = await c.req('POST', '/api/login', { username: 'Admin', password });
      expect(r.status).toBe(429);
      expect(r.json.error).toBe('rate_limited');
      const after = Number(r.headers.get('retry-after'));
      expect(after).toBeGreaterThanOrEqual(1);
      expect(after).toBeLessThanOrEqual(60);
    }
    expect((await c.req('POST', '/api/login', { username: 'someone-else', password: 'x' })).status).toBe(401);
  });

  it('/api/me is 401 without a cookie and with a tampered one', async () => {
    const c = app.client();
    expect((await c.req('GET', '/api/me')).status).toBe(401);
    await c.login('admin', 'correct horse');
    expect((await c.req('GET', '/api/me')).status).toBe(200);
    const [name, value] = c.cookie.split('=') as [string, string];
    const i = Math.floor(value.length / 2);
    c.cookie = `${name}=${value.slice(0, i)}${value[i] === 'A' ? 'B' : 'A'}${value.slice(i + 1)}`;
    const r = await c.req('GET', '/api/me');
    expect(r.status).toBe(401);
    expect(r.json.error).toBe('unauthorized');
    c.cookie = `${name}=garbage`;
    expect((await c.req('GET', '/api/me')).status).toBe(401);
  });

  it('logout → 204 and the old cookie is revoked on the server', async () => {
    const c = app.client();
    await c.login('admin', 'correct horse');
    const old = c.cookie;
    const replay = app.client();
    replay.cookie = old;
    expect((await replay.req('GET', '/api/me')).status).toBe(200);
    const r = await c.req('POST', '/api/logout');
    expect(r.status).toBe(204);
    expect(r.headers.get('set-cookie')).toMatch(new RegExp(`^${COOKIE}=;`));
    expect((await replay.req('GET', '/api/me')).status).toBe(401);
    expect((await replay.req('GET', '/api/targets')).status).toBe(401);
  });

  it('expires a session after NETWATCH_SESSION_TTL', async () => {
    let clock = Date.now();
    const short = await again({ env: { NETWATCH_SESSION_TTL: '1m' }, now: () => clock });
    const c = short.client();
    const r = await c.req('POST', '/api/login', { username: 'admin', password: 'correct horse' });
    expect(r.headers.get('set-cookie')).toMatch(/Max-Age=60;/);
    clock += 59_000;
    expect((await c.req('GET', '/api/me')).status).toBe(200);
    clock += 1_000;
    expect((await c.req('GET', '/api/me')).status).toBe(401);
  });

  it("a password change ends that user's other sessions but keeps the current one", async () => {
    await createUser(s.db, 'carol', await hashPassword('carol pass 1'), Date.now());
    const [mine, other, admin] = [app.client(), app.client(), app.client()];
    await mine.login('carol', 'carol pass 1');
    await other.login('carol', 'carol pass 1');
    await admin.login('admin', 'correct horse');
    const me = (await mine.req('GET', '/api/me')).json;
    expect((await mine.req('PUT', `/api/users/${me.id}`, { password: 'carol pass 2' })).status).toBe(200);
    expect((await mine.req('GET', '/api/me')).status).toBe(200);
    expect((await other.req('GET', '/api/me')).status).toBe(401);
    expect((await admin.req('GET', '/api/me')).status).toBe(200);
    expect((await app.client().req('POST', '/api/login', { username: 'carol', password: 'carol pass 1' })).status).toBe(401);
    // Changed by someone else: all of carol's sessions end.
    expect((await admin.req('PUT', `/api/users/${me.id}`, { password: 'carol pass 3' })).status).toBe(200);
    expect((await mine.req('GET', '/api/me')).status).toBe(401);
    expect((await admin.req('GET', '/api/me')).status).toBe(200);
    await app.client().login('carol', 'carol pass 3');
  });

  it('first-run setup: token checked, one user only, then logged in', async () => {
    const fresh = await store.open();
    try {
      const setup = await testApp(fresh.db, { setupToken: 'tok-1234567890' });
      const c = setup.client();
      expect((await c.req('GET', '/api/setup')).json).toEqual({ required: true });
      const body = { token: 'wrong-token', username: 'first', password: 'first password' };
      const wrong = await c.req('POST', '/api/setup', body);
      expect(wrong.status).toBe(403);
      expect(wrong.json.error).toBe('forbidden');
      expect(await countUsers(fresh.db)).toBe(0);
      expect((await c.req('POST', '/api/setup', { ...body, token: 'tok-1234567890', password: 'short' })).json.fields).toHaveProperty('password');
      const ok = await c.req('POST', '/api/setup', { ...body, token: 'tok-1234567890' });
      expect(ok.status).toBe(201);
      expect(ok.json).toEqual({ id: expect.any(Number), username: 'first', role: 'admin', createdAt: expect.any(Number) });
      expect((await c.req('GET', '/api/me')).json.username).toBe('first');
      expect((await c.req('GET', '/api/setup')).json).toEqual({ required: false });
      const second = await setup.client().req('POST', '/api/setup', { ...body, token: 'tok-1234567890', username: 'second' });
      expect(second.status).toBe(403);
      expect(await countUsers(fresh.db)).toBe(1);
    } finally {
      await fresh.cleanup();
    }
  });

  it('bootstrapUsers creates ROOT_USER when missing, keeps an existing password, never logs it', async () => {
    const fresh = await store.open();
    try {
      const secret = 'R00t pässwörd with % and spaces';
      const cap = captureLog();
      const cfg = { rootUser: { username: 'root', password: secret }, port: 8080 };
      expect(await bootstrapUsers(fresh.db, cfg, cap.log, Date.now())).toBeNull();
      expect(await findUserByName(fresh.db, 'root')).toBeDefined();
      expect(await bootstrapUsers(fresh.db, { ...cfg, rootUser: { username: 'ROOT', password: 'another password' } }, cap.log, Date.now())).toBeNull();
      expect(await countUsers(fresh.db)).toBe(1);
      const { deps } = await testApp(fresh.db, { setupToken: null });
      const logged = new Client(buildApp({ ...deps, log: cap.log }, '/nonexistent-ui'));
      expect((await logged.req('POST', '/api/login', { username: 'root', password: 'another password' })).status).toBe(401);
      await logged.login('root', secret);
      expect((await logged.req('GET', '/api/me')).json.username).toBe('root');
      const text = cap.text();
      expect(text).toContain('root user created');
      expect(text).toContain('password left unchanged');
      expect(text).toContain('"path":"/api/login"');
      expect(text).not.toContain(secret);
      expect(text).not.toContain('another password');
      expect(text).not.toContain('scrypt$');
    } finally {
      await fresh.cleanup();
    }
  });

  it('bootstrapUsers makes a setup token only when no user exists', async () => {
    const fresh = await store.open();
    try {
      const cap = captureLog();
      const token = await bootstrapUsers(fresh.db, { rootUser: null }, cap.log, Date.now());
      expect(token).toMatch(/^[\w-]{20,}$/);
      logSetupUrl(cap.log, token!, '0.0.0.0', 8080);
      expect(cap.text()).toContain(`http://localhost:8080/setup?token=${token}`);
      await createUser(fresh.db, 'someone', await hashPassword('whatever1'), Date.now());
      expect(await bootstrapUsers(fresh.db, { rootUser: null }, cap.log, Date.now())).toBeNull();
    } finally {
      await fresh.cleanup();
    }
  });
});
