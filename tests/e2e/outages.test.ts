/**
 * Target state and outages in the browser (issue 11). A real server probes a real loopback
 * listener every second (thresholds 1 and 1); the listener is stopped and started again:
 * - the dashboard shows the state and how long ("Up for …");
 * - the history page lists the outage (start, end, duration, cause `refused (ECONNREFUSED)`), and
 *   clicking it zooms the charts to the outage (the URL's range becomes the outage ± margin);
 * - the Events page lists the changes, filterable by target.
 */
import net from 'node:net';
import { once } from 'node:events';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchBrowser, screenshot, startServer, until, type ServerHandle } from './harness.ts';

const ADMIN_PW = 'outage view admin';

describe('outages in the browser (sqlite)', () => {
  let server: ServerHandle;
  let browser: Browser;
  let cookie = '';
  let id = 0;
  let port = 0;
  let peer: net.Server | null = null;
  const startPeer = async () => {
    peer = net.createServer((s) => s.end()).listen(port, '127.0.0.1');
    await once(peer, 'listening');
  };
  const stopPeer = () => new Promise<void>((r) => (peer ? peer.close(() => r()) : r()));
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.baseUrl}/api${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: res.status === 204 ? null : await res.json() };
  };

  beforeAll(async () => {
    port = await freePort();
    await startPeer();
    server = await startServer({ ROOT_USER: 'admin', ROOT_PASSWORD: ADMIN_PW });
    browser = await launchBrowser();
    const res = await fetch(`${server.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PW }) });
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    id = (await api('POST', '/targets', { name: 'Spoke db', host: '127.0.0.1', port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day', failureThreshold: 1, recoveryThreshold: 1 })).json.id;
    const events = async () => (await api('GET', `/events?targetId=${id}`)).json.events as { to: string }[];
    await until(async () => (await events()).length === 1, 20_000, 'unknown → up');
    await stopPeer();
    await until(async () => (await events()).length === 2, 20_000, 'up → down');
    await new Promise((r) => setTimeout(r, 2500));
    await startPeer();
    await until(async () => (await events()).length === 3, 20_000, 'down → up');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await stopPeer();
  });

  it('shows state on the dashboard, lists the outage on the history page, and a click zooms the charts to it', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 1000 }, timezoneId: 'Asia/Kolkata' });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PW);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.locator(`tr[data-target-id="${id}"] .state`).textContent(), { timeout: 10_000 }).toMatch(/^Up for \d+ s$/);

    const outage = (await api('GET', `/outages?targetId=${id}&from=0&to=${Date.now()}`)).json.outages[0];
    expect(outage.end).not.toBeNull();
    await page.goto(`/targets/${id}/history`);
    const list = page.getByTestId('outage-list');
    await list.waitFor({ timeout: 10_000 });
    const rows = list.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    const text = (await rows.first().textContent()) ?? '';
    expect(text).toContain('refused (ECONNREFUSED)');
    expect(text).toContain('+05:30'); // local time of the browser's zone
    // the summary counts the same outage record, and the uptime tooltip gives the formula
    expect(await page.getByTestId('outages').textContent()).toBe('1');
    expect(await page.getByTestId('uptime').locator('..').getAttribute('title')).toMatch(/successful probes ÷ measured probes/);
    await screenshot(page, 'outage-list');
    await rows.first().getByRole('button').click();
    await page.waitForURL((u) => u.searchParams.has('from'));
    const url = new URL(page.url());
    const from = Number(url.searchParams.get('from'));
    const to = Number(url.searchParams.get('to'));
    expect(from).toBe(outage.start - 60_000);
    expect(to).toBeGreaterThanOrEqual(outage.end);
    expect(to - from).toBeLessThan(10 * 60_000);
    // the charts were redrawn for the zoomed range, and the outage is still listed in it
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);

    await page.getByRole('link', { name: 'Events' }).click();
    await page.waitForURL((u) => u.pathname === '/events');
    const events = page.getByTestId('event-list').locator('tbody tr');
    await expect.poll(() => events.count(), { timeout: 10_000 }).toBe(3);
    expect(await events.first().getAttribute('data-to')).toBe('up');
    expect(await page.getByTestId('event-list').textContent()).toContain('Spoke db');
    await page.getByLabel('Change').selectOption('down');
    await expect.poll(() => events.count()).toBe(1);
    expect(await events.first().getAttribute('data-to')).toBe('down');
    await context.close();
  });

  it('marks an outage inside a maintenance window as maintenance, leaves it out of the count, and lists the window', async () => {
    const port2 = await freePort();
    const t2 = (await api('POST', '/targets', { name: 'Spoke patching', host: '127.0.0.1', port: port2, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day', failureThreshold: 1 })).json.id;
    expect((await api('POST', '/maintenance', { name: 'patch window', targetId: t2, startsAt: Date.now() - 60_000, endsAt: Date.now() + 3_600_000 })).status).toBe(201);
    await until(async () => (await api('GET', `/outages?targetId=${t2}`)).json.outages.length === 1, 20_000, 'the outage in maintenance');
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PW);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto(`/targets/${t2}/history`);
    const row = page.getByTestId('outage-list').locator('tbody tr');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.first().getAttribute('data-maintenance')).toBe('true');
    expect(await row.first().textContent()).toContain('maintenance');
    await expect.poll(() => page.getByTestId('outages').textContent()).toBe('0');
    await page.getByRole('link', { name: 'Maintenance' }).click();
    await expect.poll(() => page.getByTestId('maintenance-list').textContent()).toContain('patch window');
    // target names come from a second request (the windows list may show `#id` for a moment before it answers)
    await expect.poll(() => page.getByTestId('maintenance-list').textContent()).toContain('Spoke patching');
    await screenshot(page, 'maintenance');
    await context.close();
  });
});
