/**
 * The shipped nginx.conf with Debian's nginx (installed by .ci/run) in front of a real NetWatch
 * (issue 9 §4), all on loopback: TLS with a certificate made for the test, only the listen
 * addresses, the upstream port and the certificate paths changed. Through nginx: the UI and its
 * assets, login in Chromium, a Secure cookie (nginx says https), the security headers, the
 * cross-site check with the browser's https origin, live results, the live dashboard's event stream
 * (issue 12 §4: deltas arrive one by one, not held in a buffer), and the redirect from plain HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './e2e/harness.js';
import { listener } from './helpers/net.js';
import { httpsRequest, startNginx, type Nginx } from './helpers/nginx.js';
import { startServer, type ServerProcess } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { openSse } from './helpers/sse.js';
import { undeltaIds, type LiveDelta, type LiveSnapshot } from '../src/domain/live-frame.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PASSWORD = 'through the proxy';

describe('nginx.conf in front of NetWatch', () => {
  let dir: string;
  let nw: ServerProcess;
  let nginx: Nginx;
  let ca: string;
  let base: string;
  let plain: string;
  let peer: Awaited<ReturnType<typeof listener>>;
  let cookie = '';
  const api = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    httpsRequest(`${base}${path}`, ca, {
      method: init.method,
      headers: { ...(cookie && { cookie }), ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nw-nginx-data-'));
    nw = await startServer({ NETWATCH_DATA_DIR: dir, NETWATCH_TRUST_PROXY: 'true', ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD, CORE_LOG_LEVEL: 'warn' });
    nginx = await startNginx('nginx.conf', Number(new URL(nw.url).port));
    ({ ca, https: base, http: plain } = nginx);
    peer = await listener();
  });
  afterAll(async () => {
    await nginx?.stop();
    await nw?.stop();
    await peer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('proxies everything unbuffered and uncached', () => {
    // live data is never held in nginx's buffers or cache
    expect(nginx.conf).toMatch(/location \/ \{[^}]*proxy_buffering off;[^}]*proxy_cache off;/);
  });

  it('serves the UI and its assets with the security headers', async () => {
    const page = await api('/targets/1/history');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="app">');
    for (const res of [page, await api('/api/health')]) {
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers.server).toBe('nginx'); // no version
    }
    expect(page.body).toContain('<base href="/" />');
    const script = /src="\.(\/assets\/[^"]+\.js)"/.exec(page.body)![1]!;
    const asset = await api(script);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect(asset.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('logs in with a Secure cookie because nginx says https, and accepts writes from the https origin only', async () => {
    const login = await api('/api/login', { method: 'POST', body: { username: 'admin', password: PASSWORD } });
    expect(login.status).toBe(204);
    const set = String(login.headers['set-cookie']);
    expect(set).toMatch(/; Secure/);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    cookie = set.split(';')[0]!;
    expect((await api('/api/me')).body).toContain('"username":"admin"');
    const target = { name: 'behind nginx', host: '127.0.0.1', port: peer.port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' };
    expect((await api('/api/targets', { method: 'POST', body: target, headers: { origin: 'http://127.0.0.1' } })).status).toBe(403);
    expect((await api('/api/targets', { method: 'POST', body: target, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    const created = await api('/api/targets', { method: 'POST', body: target, headers: { origin: base } });
    expect(created.status).toBe(201);
  });

  it('passes live results through as they come', async () => {
    const latest = async () => {
      const r = await api('/api/targets');
      expect(r.status).toBe(200);
      return (JSON.parse(r.body) as { targets: { lastResult: { startedAt: number; outcome: string } | null }[] }).targets[0]?.lastResult ?? null;
    };
    const first = await waitFor(latest, 10_000, 'a first result through nginx');
    expect(first.outcome).toBe('success');
    const next = await waitFor(
      async () => {
        const r = await latest();
        return r && r.startedAt > first.startedAt ? r : null;
      },
      5_000,
      'a newer result through nginx',
    );
    expect(next.startedAt - first.startedAt).toBeGreaterThanOrEqual(900);
  });

  it('passes the live event stream through as each delta comes', async () => {
    const snap = await api('/api/events/snapshot');
    expect(snap.status).toBe(200);
    const {
      id: [id],
      cursor,
    } = JSON.parse(snap.body) as LiveSnapshot;
    const st = await openSse(`${base}/api/events/stream?after=${cursor}`, { cookie }, ca);
    try {
      expect(st.header('content-type')).toMatch(/^text\/event-stream/);
      const mentions = (data: string) => {
        const d = JSON.parse(data) as LiveDelta;
        return [d.r?.i, d.n?.i].some((ids) => ids && undeltaIds(ids).includes(id!));
      };
      const first = await st.next((e) => e.event === 'delta' && mentions(e.data), 8000);
      const second = await st.next((e) => e.event === 'delta' && mentions(e.data), 8000);
      // two deltas a second apart arrive apart: nginx passes each on as it comes
      expect(second.at - first.at).toBeGreaterThan(300);
    } finally {
      st.close();
    }
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await fetch(`${plain}/login`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('https://127.0.0.1/login');
  });

  it('runs the UI in Chromium through nginx: login, dashboard, logout', async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ baseURL: base, ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await expect.poll(() => page.getByRole('table', { name: 'Targets' }).textContent(), { timeout: 10_000 }).toContain('behind nginx');
      const session = (await context.cookies()).find((c) => c.name === 'netwatch_session')!;
      expect(session.secure).toBe(true);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL('**/login');
    } finally {
      await browser.close();
    }
  });
});
