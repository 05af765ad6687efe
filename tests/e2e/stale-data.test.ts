/**
 * Issue 16 §2 in Chromium against the real server: stale data is never shown as live.
 * - First load: a loading state, never "0 up · 0 down · 0 of 0 targets".
 * - Server stopped: "Last updated HH:MM:SS — reconnecting…" and grey state pills; started again
 *   on the same port and data: the banner clears and the pills get their colour back.
 * - Server frozen (SIGSTOP): requests hang; the banner shows within a few seconds, clears on SIGCONT.
 * - Session ended on the server: the login page says the session expired; logging in goes back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type ServerProcess } from '../helpers/server.js';
import { launchBrowser, openPort, screenshot } from './harness.ts';

const PASSWORD = 'stale data check 1';
const pillColour = (page: Page) => page.locator('[data-testid="counts"] .pill-up').evaluate((el) => getComputedStyle(el).color);

describe('stale data and session expiry in the browser (sqlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-e2e-stale-'));
  const env = { NETWATCH_DATA_DIR: dataDir, ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD };
  let port: number;
  let server: ServerProcess;
  let browser: Browser;
  let open: Awaited<ReturnType<typeof openPort>>;
  beforeAll(async () => {
    port = await freePort();
    server = await startServer(env, { port });
    browser = await launchBrowser();
    open = await openPort();
  });
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGCONT');
    await server?.stop();
    await open?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows loading, then flags stale data while the server is stopped or frozen, and clears when it is back', async () => {
    const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const made = await fetch(`${server.url}/api/targets`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'web', host: '127.0.0.1', port: open.port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' }),
    });
    expect(made.status).toBe(201);

    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    // a slow first load of the target list: a loading state, not zero counts
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/events/snapshot', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByTestId('loading').first().textContent()).toBe('Loading targets…');
    expect(await page.getByText(/0 up|0 of 0 targets/).count()).toBe(0);
    release();
    await expect.poll(() => page.getByTestId('counts').textContent(), { timeout: 10_000 }).toMatch(/^1 up/);
    expect(await page.getByTestId('loading').count()).toBe(0);
    const live = await pillColour(page);
    expect(await page.getByTestId('stale-banner').count()).toBe(0);

    // stopped: the banner names the last answer's time, pills turn grey
    expect(await server.stop()).toBe(0);
    const banner = page.getByTestId('stale-banner');
    await expect.poll(() => banner.textContent(), { timeout: 10_000 }).toMatch(/^Last updated \d\d:\d\d:\d\d — reconnecting…/);
    const muted = await page.evaluate(() => {
      const probe = document.body.appendChild(Object.assign(document.createElement('span'), { className: 'muted' }));
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    });
    expect(await pillColour(page)).toBe(muted);
    expect(await page.locator('main p.error').count()).toBe(0); // said once, by the banner
    expect(muted).not.toBe(live);
    await screenshot(page, 'stale-server-stopped');

    // started again on the same port and data: the banner clears, colours return
    server = await startServer(env, { port });
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => pillColour(page)).toBe(live);

    // frozen: requests hang rather than fail; the banner still shows, and clears on SIGCONT
    server.child.kill('SIGSTOP');
    await expect.poll(() => banner.count(), { timeout: 12_000 }).toBe(1);
    expect(await banner.textContent()).toMatch(/^Last updated \d\d:\d\d:\d\d — reconnecting…/);
    server.child.kill('SIGCONT');
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
    await context.close();
  }, 90_000);

  it('says the session expired when the server ended it, and logging in goes back to the page', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // a first visit says nothing about expiry
    await page.goto('/login');
    expect(await page.getByTestId('session-expired').count()).toBe(0);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByTestId('counts').waitFor();

    // the server ends every session (as expiry or a revocation does)
    const db = new Database(join(dataDir, 'netwatch.db'));
    db.prepare('DELETE FROM sessions').run();
    db.close();
    await page.waitForURL((u) => u.pathname === '/login', { timeout: 10_000 });
    await expect.poll(() => page.getByTestId('session-expired').textContent()).toBe('Your session has expired. Log in again to continue where you were.');
    await screenshot(page, 'session-expired');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');

    // logging out on purpose is not an expiry
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.goto('/');
    await page.waitForURL((u) => u.pathname === '/login');
    expect(await page.getByTestId('session-expired').count()).toBe(0);
    await context.close();
  }, 60_000);
});
