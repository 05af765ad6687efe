/**
 * The shipped nginx.conf with Debian's nginx (installed by .ci/run) in front of a real NetWatch
 * (issue 9 §4), all on loopback: TLS with a certificate made for the test, only the listen
 * addresses, the upstream port and the certificate paths changed. Through nginx: the UI and its
 * assets, login in Chromium, a Secure cookie (nginx says https), the security headers, the
 * cross-site check with the browser's https origin, live results, and the redirect from plain HTTP.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './e2e/harness.js';
import { listener } from './helpers/net.js';
import { freePort, startServer, type ServerProcess } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

const NGINX = '/usr/sbin/nginx';
const PASSWORD = 'through the proxy';

/** The shipped config with only addresses, upstream port and certificate paths replaced (each must match once). */
function testConfig(ports: { http: number; https: number; upstream: number }, dir: string): string {
  let conf = readFileSync(join(import.meta.dirname, '..', 'nginx.conf'), 'utf8');
  // live data is never held in nginx's buffers or cache
  expect(conf).toMatch(/location \/ \{[^}]*proxy_buffering off;[^}]*proxy_cache off;/);
  const swap = (from: string, to: string) => {
    expect(conf.split(from).length - 1, `nginx.conf should contain "${from}" once`).toBe(1);
    conf = conf.replace(from, to);
  };
  swap('listen 80;', `listen 127.0.0.1:${ports.http};`);
  swap('listen 443 ssl;', `listen 127.0.0.1:${ports.https} ssl;`);
  swap('server 127.0.0.1:8080;', `server 127.0.0.1:${ports.upstream};`);
  swap('/etc/ssl/certs/netwatch.crt', join(dir, 'cert.pem'));
  swap('/etc/ssl/private/netwatch.key', join(dir, 'key.pem'));
  return conf;
}

/** One HTTPS request trusting only the test's certificate. */
function request(url: string, ca: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('nginx.conf in front of NetWatch', () => {
  let dir: string;
  let nw: ServerProcess;
  let nginx: ChildProcess;
  let ca: string;
  let base: string;
  let plain: string;
  let peer: Awaited<ReturnType<typeof listener>>;
  let cookie = '';
  const api = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
    request(`${base}${path}`, ca, {
      method: init.method,
      headers: { ...(cookie && { cookie }), ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: install Debian's nginx (apt-get install nginx; .ci/run does)`);
    dir = mkdtempSync(join(tmpdir(), 'nw-nginx-'));
    const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
    expect(cert.status, cert.stderr).toBe(0);
    ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    nw = await startServer({ NETWATCH_DATA_DIR: join(dir, 'data'), NETWATCH_TRUST_PROXY: 'true', ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD, CORE_LOG_LEVEL: 'warn' });
    const ports = { http: await freePort(), https: await freePort(), upstream: Number(new URL(nw.url).port) };
    writeFileSync(join(dir, 'nginx.conf'), testConfig(ports, dir));
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')}; worker_processes 1;`], { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    nginx.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(async () => {
      if (nginx.exitCode !== null) throw new Error(`nginx exited ${nginx.exitCode}: ${stderr}`);
      const s = net.connect(ports.https, '127.0.0.1');
      return once(s, 'connect').then(() => (s.destroy(), true), () => false);
    }, 10_000, 'nginx listening');
    base = `https://127.0.0.1:${ports.https}`;
    plain = `http://127.0.0.1:${ports.http}`;
    peer = await listener();
  });
  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const gone = once(nginx, 'exit');
      nginx.kill('SIGQUIT');
      await gone;
    }
    await nw?.stop();
    await peer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
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
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)![1]!;
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
    const next = await waitFor(async () => {
      const r = await latest();
      return r && r.startedAt > first.startedAt ? r : null;
    }, 5_000, 'a newer result through nginx');
    expect(next.startedAt - first.startedAt).toBeGreaterThanOrEqual(900);
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
