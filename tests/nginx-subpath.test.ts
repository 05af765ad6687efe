/**
 * NetWatch under a sub-path (issue 9 §4): NETWATCH_BASE_PATH=/netwatch/ behind the shipped
 * nginx-subpath.conf with Debian's nginx, all on loopback. The UI, its assets, API calls, the
 * router's redirects and the cookie's Path stay under /netwatch/; through nginx the security headers
 * are sent and live results pass unbuffered, as in nginx.test.ts; in Chromium, every request the
 * page makes is under the prefix, deep links load, and login, dashboard, history, users and
 * logout work. NetWatch itself answers nothing outside the prefix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './e2e/harness.js';
import { listener } from './helpers/net.js';
import { httpsRequest, startNginx, type Nginx } from './helpers/nginx.js';
import { startServer, type ServerProcess } from './helpers/server.js';
import { openSse } from './helpers/sse.js';
import { undeltaIds, type LiveDelta, type LiveSnapshot } from '../src/domain/live-frame.js';
import { waitFor } from './helpers/wait.js';

const PASSWORD = 'under a sub-path';

describe('NetWatch under /netwatch/ behind nginx-subpath.conf', () => {
  let dir: string;
  let nw: ServerProcess;
  let nginx: Nginx;
  let peer: Awaited<ReturnType<typeof listener>>;
  const get = (path: string, init: Parameters<typeof httpsRequest>[2] = {}) => httpsRequest(`${nginx.https}${path}`, nginx.ca, init);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nw-subpath-'));
    // anyHealth: /api/health is not served outside the prefix, so readiness is "answers at all"
    nw = await startServer(
      { NETWATCH_DATA_DIR: dir, NETWATCH_BASE_PATH: '/netwatch/', NETWATCH_TRUST_PROXY: 'true', ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD, CORE_LOG_LEVEL: 'warn' },
      { anyHealth: true },
    );
    nginx = await startNginx('nginx-subpath.conf', Number(new URL(nw.url).port));
    peer = await listener();
  });
  afterAll(async () => {
    await nginx?.stop();
    await nw?.stop();
    await peer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers only under the prefix', async () => {
    expect((await fetch(`${nw.url}/netwatch/api/health`)).status).toBe(200);
    for (const path of ['/api/health', '/', '/login', '/assets/x.js', '/netwatchx/api/health']) {
      const res = await fetch(`${nw.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-security-policy'), path).toMatch(/default-src 'self'/);
    }
    const bare = await fetch(`${nw.url}/netwatch`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/netwatch/');
  });

  it('serves the UI with its base and assets under the prefix through nginx', async () => {
    const page = await get('/netwatch/targets/1/history');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<base href="/netwatch/" />');
    const script = /src="\.(\/assets\/[^"]+\.js)"/.exec(page.body)![1]!;
    const asset = await get(`/netwatch${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect((await get(script)).status).toBe(404); // nothing at /
    const bare = await get('/netwatch');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toMatch(/\/netwatch\/$/);
  });

  it('logs in with a Secure cookie whose Path is the prefix', async () => {
    const login = await get('/netwatch/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    expect(login.status).toBe(204);
    const set = String(login.headers['set-cookie']);
    expect(set).toMatch(/; Path=\/netwatch(;|$)/);
    expect(set).toMatch(/; Secure/);
    const cookie = set.split(';')[0]!;
    const created = await get('/netwatch/api/targets', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: nginx.https },
      body: JSON.stringify({ name: 'under the prefix', host: '127.0.0.1', port: peer.port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' }),
    });
    expect(created.status).toBe(201);
    const logout = await get('/netwatch/api/logout', { method: 'POST', headers: { cookie, origin: nginx.https } });
    expect(logout.status).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/; Path=\/netwatch(;|$)/);
  });

  it('passes the live event stream under the prefix as each delta comes', async () => {
    const login = await get('/netwatch/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const snap = await get('/netwatch/api/events/snapshot', { headers: { cookie } });
    expect(snap.status).toBe(200);
    const {
      id: [id],
      cursor,
    } = JSON.parse(snap.body) as LiveSnapshot;
    const st = await openSse(`${nginx.https}/netwatch/api/events/stream?after=${cursor}`, { cookie }, nginx.ca);
    try {
      const mentions = (data: string) => {
        const d = JSON.parse(data) as LiveDelta;
        return [d.r?.i, d.n?.i].some((ids) => ids && undeltaIds(ids).includes(id!));
      };
      const first = await st.next((e) => e.event === 'delta' && mentions(e.data), 8000);
      const second = await st.next((e) => e.event === 'delta' && mentions(e.data), 8000);
      expect(second.at - first.at).toBeGreaterThan(300);
    } finally {
      st.close();
    }
  });

  it('applies the security headers and passes live results through under the prefix, unbuffered', async () => {
    expect(nginx.conf).toMatch(/location \/netwatch\/ \{[^}]*proxy_buffering off;[^}]*proxy_cache off;/);
    const login = await get('/netwatch/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const page = await get('/netwatch/targets/1/history');
    for (const res of [page, await get('/netwatch/api/health')]) {
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    const created = await get('/netwatch/api/targets', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: nginx.https },
      body: JSON.stringify({ name: 'live under the prefix', host: '127.0.0.1', port: peer.port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' }),
    });
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.body) as { id: number }).id;
    const latest = async () => {
      const r = await get('/netwatch/api/targets', { headers: { cookie } });
      expect(r.status).toBe(200);
      const t = (JSON.parse(r.body) as { targets: { id: number; lastResult: { startedAt: number; outcome: string } | null }[] }).targets.find((x) => x.id === id);
      return t?.lastResult ?? null;
    };
    const first = await waitFor(latest, 10_000, 'a first result through nginx under the prefix');
    expect(first.outcome).toBe('success');
    const next = await waitFor(
      async () => {
        const r = await latest();
        return r && r.startedAt > first.startedAt ? r : null;
      },
      5_000,
      'a newer result through nginx under the prefix',
    );
    expect(next.startedAt - first.startedAt).toBeGreaterThanOrEqual(900);
  });

  it('runs the UI in Chromium with every request under the prefix', async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ baseURL: nginx.https, ignoreHTTPSErrors: true });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const requested: string[] = [];
      page.on('request', (r) => requested.push(new URL(r.url()).pathname));
      const failed: string[] = [];
      let loggingOut = false;
      page.on('response', (r) => {
        // a request still in flight when the session ends (a sparkline refresh) may meet the logout: 401 is its right answer
        if (r.status() >= 400 && !r.url().endsWith('/api/me') && !(loggingOut && r.status() === 401)) failed.push(`${r.status()} ${r.url()}`);
      });
      await page.goto('/netwatch/');
      await page.waitForURL((u) => u.pathname === '/netwatch/login');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      // the router's root under its base is /netwatch (a reload of it is redirected to /netwatch/)
      await page.waitForURL((u) => u.pathname.replace(/\/$/, '') === '/netwatch');
      await expect.poll(() => page.getByRole('table', { name: 'Targets' }).textContent(), { timeout: 10_000 }).toContain('under the prefix');
      const session = (await context.cookies()).find((c) => c.name === 'netwatch_session')!;
      expect(session).toMatchObject({ path: '/netwatch', secure: true });
      await page.getByRole('link', { name: 'Users' }).click();
      await page.waitForURL((u) => u.pathname === '/netwatch/users');
      // plain download links (configuration export) point under the prefix too
      await page.getByRole('link', { name: 'Configuration' }).click();
      await page.waitForURL((u) => u.pathname === '/netwatch/config');
      const apiLinks = page.locator('a[href*="api/"]');
      await expect.poll(() => apiLinks.count(), { timeout: 10_000 }).toBeGreaterThan(1);
      const hrefs = await apiLinks.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      expect(hrefs.filter((p) => !p.startsWith('/netwatch/api/'))).toEqual([]);
      // a deep link loads on its own, and an unknown session goes to login with next= the app path
      const anon = await browser.newContext({ baseURL: nginx.https, ignoreHTTPSErrors: true });
      const p2 = await anon.newPage();
      p2.on('request', (r) => requested.push(new URL(r.url()).pathname));
      await p2.goto('/netwatch/users');
      await p2.waitForURL((u) => u.pathname === '/netwatch/login' && u.searchParams.get('next') === '/users');
      await anon.close();
      await page.getByRole('link', { name: 'Targets' }).click();
      await page.waitForURL((u) => u.pathname.replace(/\/$/, '') === '/netwatch');
      await page.reload();
      await expect.poll(() => page.getByRole('table', { name: 'Targets' }).textContent(), { timeout: 10_000 }).toContain('under the prefix');
      loggingOut = true;
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL((u) => u.pathname === '/netwatch/login');
      expect(requested.length).toBeGreaterThan(5);
      expect(requested.filter((p) => p !== '/netwatch' && !p.startsWith('/netwatch/'))).toEqual([]);
      expect(failed).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
