/**
 * HTTP hardening (issue 9 §2), in-process on the real app: the security headers on API, error and
 * UI responses; the CSRF matrix (method × Origin × Sec-Fetch-Site × body type) with the victim's
 * cookie; Secure cookies only over HTTPS or from a trusted proxy; /api/me's createdAt.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { testApp, type Client } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const OWN = 'http://localhost';
const TARGET = { name: 'csrf probe', host: '127.0.0.1', port: 9, intervalSeconds: 60, retentionValue: 7, retentionUnit: 'day' };

/** Checks the headers every response must carry. */
function expectSecurityHeaders(h: Headers) {
  const csp = h.get('content-security-policy') ?? '';
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k!, v.join(' ')]),
  );
  expect(directives.get('default-src')).toBe("'self'");
  expect(directives.get('script-src')).toBe("'self'");
  expect(directives.get('style-src')).toBe("'self'");
  expect(directives.get('frame-ancestors')).toBe("'none'");
  expect(directives.get('object-src')).toBe("'none'");
  expect(csp).not.toMatch(/unsafe-(inline|eval)|\*/);
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('x-frame-options')).toBe('DENY');
  expect(h.get('referrer-policy')).toBe('no-referrer');
  expect(h.get('strict-transport-security')).toBeNull();
}

describe.each(STORES)('HTTP hardening on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let victim: Client;
  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db);
    victim = app.client();
    await victim.login('admin', 'correct horse');
  });
  afterAll(() => s.cleanup());

  it('sends the security headers on API answers, errors and 404s', async () => {
    for (const [method, path] of [
      ['GET', '/api/health'],
      ['GET', '/api/me'],
      ['GET', '/api/nope'],
      ['POST', '/api/targets'],
    ] as const) {
      const r = await app.client().req(method, path, method === 'POST' ? TARGET : undefined);
      expect(r.status, `${method} ${path}`).not.toBe(500);
      expectSecurityHeaders(r.headers);
    }
  });

  it('sends them on the built UI, its assets and its fallback page', async () => {
    const ui = mkdtempSync(join(tmpdir(), 'nw-ui-'));
    try {
      mkdirSync(join(ui, 'assets'));
      writeFileSync(join(ui, 'index.html'), '<!doctype html><html><head><title>NetWatch</title></head><body></body></html>');
      writeFileSync(join(ui, 'assets', 'app.js'), 'export {}');
      const uiApp = buildApp(app.deps, ui);
      for (const path of ['/', '/index.html', '/assets/app.js', '/targets/7', '/assets/missing.js']) {
        const res = await uiApp.request(`${OWN}${path}`);
        expectSecurityHeaders(res.headers);
        // every copy of the page carries its <base> (NETWATCH_BASE_PATH, here /)
        if (!path.startsWith('/assets/')) expect(await res.text(), path).toContain('<base href="/" />');
      }
    } finally {
      rmSync(ui, { recursive: true, force: true });
    }
  });

  // [description, extra headers, expected status] for a JSON POST /api/targets with the victim's cookie
  const matrix: [string, Record<string, string>, number][] = [
    ['same origin (Origin)', { origin: OWN }, 201],
    ['same origin (Sec-Fetch-Site)', { 'sec-fetch-site': 'same-origin' }, 201],
    ['same origin (both)', { origin: OWN, 'sec-fetch-site': 'same-origin' }, 201],
    ['no browser headers (a script)', {}, 201],
    ['foreign Origin', { origin: 'https://evil.example' }, 403],
    ['same host, other port (same-site)', { origin: 'http://localhost:8081' }, 403],
    ['https twin of our http origin', { origin: 'https://localhost' }, 403],
    ['Origin null (sandboxed page)', { origin: 'null' }, 403],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }, 403],
    ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site' }, 403],
    ['Sec-Fetch-Site cross-site with our Origin', { origin: OWN, 'sec-fetch-site': 'cross-site' }, 403],
  ];
  it.each(matrix)('JSON POST /api/targets, %s %o → %i', async (_, headers, status) => {
    const before = (await victim.req('GET', '/api/targets')).json.targets.length;
    const r = await victim.req('POST', '/api/targets', TARGET, headers);
    expect(r.status).toBe(status);
    const after = (await victim.req('GET', '/api/targets')).json.targets.length;
    expect(after - before).toBe(status === 201 ? 1 : 0);
    if (status === 403) expect(r.json).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/Cross-site/) });
  });

  it('refuses form-encodable bodies (what a foreign page can send without preflight) unless they prove our origin', async () => {
    const body = JSON.stringify(TARGET);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect((await victim.req('POST', '/api/targets', body, { 'content-type': type })).status, type).toBe(403);
      expect((await victim.req('POST', '/api/targets', body, { 'content-type': type, origin: 'https://evil.example' })).status, type).toBe(403);
      // from our own page (Origin or Sec-Fetch-Site) it reaches the route, which wants JSON: 415, not 403
      for (const own of [{ origin: OWN }, { 'sec-fetch-site': 'same-origin' }] as Record<string, string>[]) {
        const r = await victim.req('POST', '/api/targets', body, { 'content-type': type, ...own });
        expect(r.status, type).toBe(415);
        expect(r.json, type).toEqual({ error: 'unsupported_media_type', message: 'Send the body as JSON (Content-Type: application/json).' });
      }
    }
  });

  it('a token request with a body that is not JSON gets 415 (a page cannot send a bearer token cross-site), a cross-site one still 403', async () => {
    const tok = await victim.req('POST', '/api/tokens', { name: 'ct' }, { origin: OWN });
    expect(tok.status, JSON.stringify(tok.json)).toBe(201);
    const bearer = { authorization: `Bearer ${tok.json.token}` };
    const body = JSON.stringify(TARGET);
    const robot = app.client();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await robot.req('POST', '/api/targets', body, { 'content-type': type, ...bearer });
      expect(r.status, type).toBe(415);
      expect(r.json, type).toMatchObject({ error: 'unsupported_media_type' });
      expect((await robot.req('POST', '/api/targets', body, { 'content-type': type, ...bearer, origin: 'https://evil.example' })).status, type).toBe(403);
      expect((await robot.req('POST', '/api/targets', body, { 'content-type': type, ...bearer, 'sec-fetch-site': 'cross-site' })).status, type).toBe(403);
    }
    // a wrong token is still a 401, not a way around the check
    expect((await robot.req('POST', '/api/targets', body, { 'content-type': 'text/plain', authorization: 'Bearer nwt_wrong' })).status).toBe(401);
    expect((await robot.req('POST', '/api/targets', TARGET, bearer)).status).toBe(201);
  });

  it('refuses every unsafe method cross-site and keeps the data; safe methods pass', async () => {
    const created = await victim.req('POST', '/api/targets', { ...TARGET, name: 'keep me' }, { origin: OWN });
    expect(created.status).toBe(201);
    const id = created.json.id;
    const evil = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    expect((await victim.req('PUT', `/api/targets/${id}`, { ...TARGET, name: 'hijacked' }, evil)).status).toBe(403);
    expect((await victim.req('PUT', `/api/targets/${id}`, { enabled: false }, evil)).status).toBe(403);
    expect((await victim.req('DELETE', `/api/targets/${id}`, undefined, evil)).status).toBe(403);
    expect((await victim.req('POST', '/api/users', { username: 'mallory', password: 'password 123' }, evil)).status).toBe(403);
    const cookie = victim.cookie;
    expect((await victim.req('POST', '/api/logout', undefined, evil)).status).toBe(403);
    expect(victim.cookie).toBe(cookie);
    const still = await victim.req('GET', `/api/targets/${id}`, undefined, evil);
    expect(still.status).toBe(200);
    expect(still.json).toMatchObject({ name: 'keep me', enabled: true });
    expect((await victim.req('GET', '/api/users?q=mallory', undefined, evil)).json.users).toHaveLength(0);
    // a cross-site login cannot plant a session either (login CSRF)
    expect((await app.client().req('POST', '/api/login', { username: 'admin', password: 'correct horse' }, evil)).status).toBe(403);
  });

  it('behind a trusted proxy our origin is https when the proxy says so; an untrusted X-Forwarded-Proto changes nothing', async () => {
    const trusted = await testApp(s.db, { env: { NETWATCH_TRUST_PROXY: 'true' }, setupToken: null });
    const c = trusted.client();
    const https = { 'x-forwarded-proto': 'https' };
    await c.req('POST', '/api/login', { username: 'admin', password: 'correct horse' }, https);
    expect((await c.req('POST', '/api/targets', TARGET, { ...https, origin: 'https://localhost' })).status).toBe(201);
    expect((await c.req('POST', '/api/targets', TARGET, { ...https, origin: OWN })).status).toBe(403);
    expect((await victim.req('POST', '/api/targets', TARGET, { ...https, origin: 'https://localhost' })).status).toBe(403);
  });

  it('marks the cookie Secure only over HTTPS or when a trusted proxy says https', async () => {
    const setCookie = async (a: Awaited<ReturnType<typeof testApp>>, url: string, headers: Record<string, string>) => {
      const res = await a.app.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username: 'admin', password: 'correct horse' }) });
      expect(res.status).toBe(204);
      return res.headers.get('set-cookie') ?? '';
    };
    const plain = app;
    const trusted = await testApp(s.db, { env: { NETWATCH_TRUST_PROXY: 'true' }, setupToken: null });
    const https = { 'x-forwarded-proto': 'https' };
    expect(await setCookie(plain, 'http://localhost/api/login', {})).not.toMatch(/;\s*Secure/i);
    expect(await setCookie(plain, 'http://localhost/api/login', https)).not.toMatch(/;\s*Secure/i);
    expect(await setCookie(plain, 'https://localhost/api/login', {})).toMatch(/;\s*Secure/i);
    expect(await setCookie(trusted, 'http://localhost/api/login', {})).not.toMatch(/;\s*Secure/i);
    expect(await setCookie(trusted, 'http://localhost/api/login', { 'x-forwarded-proto': 'http' })).not.toMatch(/;\s*Secure/i);
    const viaProxy = await setCookie(trusted, 'http://localhost/api/login', https);
    expect(viaProxy).toMatch(/;\s*Secure/i);
    expect(viaProxy).toMatch(/HttpOnly/i);
    expect(viaProxy).toMatch(/SameSite=Strict/i);
  });

  it("GET /api/me returns the user's createdAt, not the session's", async () => {
    let now = Date.UTC(2026, 0, 1);
    const timed = await testApp(s.db, { now: () => now, setupToken: null });
    const admin = await victim.req('GET', '/api/users?q=admin');
    const userCreated = admin.json.users.find((u: { username: string }) => u.username === 'admin').createdAt;
    now = Date.UTC(2026, 5, 1);
    const c = timed.client();
    await c.login('admin', 'correct horse');
    const me = await c.req('GET', '/api/me');
    expect(me.json.createdAt).toBe(userCreated);
    expect(me.json.createdAt).not.toBe(now);
  });
});
