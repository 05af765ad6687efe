/**
 * The built UI under NetWatch's Content-Security-Policy (issue 9 §2), in Debian's Chromium: log
 * in, add a target, watch it on the dashboard and its history charts (uPlot), open users, log out,
 * with no CSP violation reported by the page or the console; then a page on another origin of the
 * same site (so SameSite=Strict still sends the victim's cookie) posts to the API and is refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPort, screenshot, startServer, until, type ServerHandle } from './harness.ts';

const PASSWORD = 'csp check password';

describe('the UI under the CSP (sqlite)', () => {
  let server: ServerHandle;
  let browser: Browser;
  let peer: Awaited<ReturnType<typeof openPort>>;
  let attacker: Server;
  beforeAll(async () => {
    server = await startServer({ ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD });
    browser = await launchBrowser();
    peer = await openPort();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await peer?.close();
    attacker?.close();
  });

  it('shows the API docs (/api/docs, Swagger UI from our own origin) with every operation and no CSP violation', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl });
    const page = await context.newPage();
    const violations: string[] = [];
    const foreign: string[] = [];
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(server.baseUrl) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    await page.exposeFunction('reportCspViolation', (v: string) => violations.push(`event: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    const res = await page.goto('/api/docs');
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    const operations = Object.values(((await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, object> }).paths).reduce((n, p) => n + Object.keys(p).length, 0);
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 20_000 }).toBe(operations);
    await expect.poll(() => page.locator('.info .title').textContent()).toContain('NetWatch API');
    await screenshot(page, 'api-docs');
    expect(violations).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('runs login, dashboard, history charts, users and logout with no CSP violation', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
    });
    await page.exposeFunction('reportCspViolation', (v: string) => violations.push(`event: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });

    const doc = await page.goto('/login');
    expect(doc!.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');

    await page.getByRole('button', { name: '+ Add target' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Name').fill('csp peer');
    await dlg.getByLabel('Host').fill('127.0.0.1');
    await dlg.getByLabel('Port').fill(String(peer.port));
    await dlg.getByLabel('Interval (s)').fill('1');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/targets') && r.request().method() === 'POST');
    await dlg.getByRole('button', { name: 'Add target' }).click();
    const res = await created;
    expect(res.status()).toBe(201);
    const { id } = (await res.json()) as { id: number };
    await expect.poll(() => page.getByRole('table', { name: 'Targets' }).textContent(), { timeout: 10_000 }).toContain('csp peer');

    // wait until probes of the peer are stored, so the history page has charts to draw
    await expect
      .poll(() => page.evaluate(async (tid) => ((await (await fetch(`/api/targets/${tid}/results`)).json()) as { results?: unknown[] }).results?.length ?? 0, id), { timeout: 15_000 })
      .toBeGreaterThan(1);
    await page.goto(`/targets/${id}/history`);
    // uPlot has drawn its three charts (it sizes them through CSSOM, which the CSP allows)
    await expect.poll(() => page.locator('[data-chart] canvas').count(), { timeout: 10_000 }).toBe(3);
    expect(Number(await page.locator('[data-chart="ratio"]').getAttribute('data-points'))).toBeGreaterThan(0);
    await screenshot(page, 'csp-history');
    await page.goto('/users');
    await expect.poll(() => page.getByText('admin').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    expect(violations).toEqual([]);
    await context.close();
  });

  it("refuses a same-site page's cross-origin POST that carries the victim's cookie", async () => {
    const victimOrigin = server.baseUrl; // http://127.0.0.1:<port>
    attacker = createServer((_, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><script>
        fetch(${JSON.stringify(`${victimOrigin}/api/targets`)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ name: 'planted', host: '127.0.0.1', port: 9, intervalSeconds: 60, retentionValue: 1, retentionUnit: 'day' }) })
          .finally(() => { document.title = 'sent'; });
      </script>`);
    });
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    const evilPort = (attacker.address() as AddressInfo).port;

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${victimOrigin}/login`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    const cookie = (await context.cookies(victimOrigin)).find((c) => c.name === 'netwatch_session')!;
    expect(cookie.sameSite).toBe('Strict');

    const before = server.logs.length;
    const evil = await context.newPage();
    await evil.goto(`http://127.0.0.1:${evilPort}/`);
    await until(async () => (await evil.title()) === 'sent', 10_000, 'the forged request');
    const line = await until(() => server.logs.slice(before).find((l) => l.method === 'POST' && l.path === '/api/targets'), 5_000, 'its access-log line');
    expect(line.status).toBe(403);
    const list = await page.evaluate(async () => (await (await fetch('/api/targets')).json()) as { targets: { name: string }[] });
    expect(list.targets.map((t) => t.name)).not.toContain('planted');
    await context.close();
  });
});
