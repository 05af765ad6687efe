/**
 * The Wire panel and the viewer role in the browser (issue 8). Real server probing a real loopback
 * listener every second, real Chromium:
 * - the history page's Wire panel shows the next send times in local time and UTC at the target's
 *   phase ("every 1 s at .mmm"), the NAT note, the server's filters with working copy buttons, and
 *   a CSV download of the page's range that csv-parse reads back with the probes in that range;
 * - a viewer sees targets, history and the wire panel but no write control and no Users link;
 *   the admin sets roles on the users page.
 * Screenshot: docs/screenshots/wire-panel.png (published when missing or UPDATE_SCREENSHOTS=1).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phaseMs } from '../../src/actors/schedule.js';
import { publish } from './flow-context.ts';
import { launchBrowser, openPort, screenshot, startServer, until, type ServerHandle } from './harness.ts';

const ADMIN_PW = 'wire view admin';
const VIEWER_PW = 'wire view viewer';

describe('wire panel and viewer role (sqlite)', () => {
  let server: ServerHandle;
  let browser: Browser;
  let peer: Awaited<ReturnType<typeof openPort>>;
  let cookie = '';
  let id = 0;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.baseUrl}/api${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: res.status === 204 ? null : await res.json() };
  };
  const login = async (page: Page, username: string, password: string) => {
    await page.goto('/login');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
  };

  beforeAll(async () => {
    peer = await openPort();
    server = await startServer({ ROOT_USER: 'admin', ROOT_PASSWORD: ADMIN_PW });
    browser = await launchBrowser();
    const res = await fetch(`${server.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PW }) });
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    id = (await api('POST', '/targets', { name: 'Spoke web', host: '127.0.0.1', port: peer.port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' })).json.id;
    expect((await api('POST', '/users', { username: 'spoke-eng', password: VIEWER_PW, role: 'viewer' })).status).toBe(201);
    // a few probes stored, for the CSV
    await until(async () => (await api('GET', `/targets/${id}/results`)).json.results.length >= 3, 20_000, 'three stored probes');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await peer?.close();
  });

  it('shows the next send times, the NAT note, copyable filters and the CSV of the range', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 1000 }, acceptDownloads: true, timezoneId: 'Europe/Berlin' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await login(page, 'admin', ADMIN_PW);
    await page.goto(`/targets/${id}/history`);
    const panel = page.getByTestId('wire-panel');
    const phase = phaseMs(id, 1000);
    await expect.poll(() => panel.getByTestId('cadence').textContent()).toBe(`every 1 s at .${String(phase).padStart(3, '0')}`);

    // both columns read at once: the list rolls forward every second
    const pairs = await panel.locator('table.slots tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(pairs).toHaveLength(10);
    const ms = String(phase).padStart(3, '0');
    for (const [, u] of pairs) expect(u).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.${ms} UTC$`));
    const times = pairs.map(([, u]) => Date.parse(`${u!.replace(' UTC', 'Z').replace(' ', 'T')}`));
    times.forEach((t, k) => expect(t).toBe(times[0]! + k * 1000));
    expect(times[0]).toBeGreaterThan(Date.now() - 2000);
    // local column: the same instants on the browser's clock (Berlin: UTC+01:00 in winter, +02:00 in summer)
    const head = (await panel.locator('table.slots th').first().textContent())!;
    expect(head).toMatch(/^Local \(UTC\+0[12]:00\)$/);
    const offsetH = head.includes('UTC+02:00') ? 2 : 1;
    pairs.forEach(([l], k) => expect(Date.parse(`${l!.replace(' ', 'T')}Z`) - offsetH * 3_600_000).toBe(times[k]));

    expect(await panel.getByTestId('nat-note').textContent()).toMatch(/before any NAT/);
    expect(await panel.getByTestId('addresses').textContent()).toBe('127.0.0.1');

    const wire = (await api('GET', `/targets/${id}/wire`)).json;
    for (const key of ['bpf', 'tcpdump', 'fortigate', 'paloalto', 'ciscoAsa'] as const) {
      expect(await panel.locator(`[data-filter="${key}"] pre`).textContent()).toBe(wire.filters[key]);
    }
    await panel.locator('[data-filter="bpf"] button').click();
    await expect.poll(() => panel.locator('[data-filter="bpf"] button').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`tcp[tcpflags] & tcp-syn != 0 and dst host 127.0.0.1 and dst port ${peer.port}`);

    const href = await panel.getByTestId('csv-download').getAttribute('href');
    const q = new URL(href!, server.baseUrl).searchParams;
    const [from, to] = [Number(q.get('from')), Number(q.get('to'))];
    expect(to).toBeGreaterThan(from);
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('csv-download').click()]);
    expect(download.suggestedFilename()).toBe(`netwatch-target-${id}-${from}-${to}.csv`);
    const records = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(records.length).toBeGreaterThanOrEqual(3);
    for (const r of records) {
      expect(Number(r.started_at_ms)).toBeGreaterThanOrEqual(from);
      expect(Number(r.started_at_ms)).toBeLessThan(to);
      expect(r).toMatchObject({ target_id: String(id), outcome: 'success', address: '127.0.0.1' });
    }

    await panel.scrollIntoViewIfNeeded();
    const path = await screenshot(page, 'wire-panel');
    await panel.screenshot({ path: path.replace('.png', '-panel.png') });
    publish(path.replace('.png', '-panel.png'), 'wire-panel.png');

    // fits a phone-width screen: no sideways scrolling
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('a viewer sees targets, history and the wire panel, but no write control; the admin sets roles', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await login(page, 'spoke-eng', VIEWER_PW);
    const row = page.locator(`tr[data-target-id="${id}"]`);
    await row.waitFor();
    expect(await row.getByRole('link', { name: /History of/ }).count()).toBe(1);
    for (const name of [/^Edit /, /^Disable /, /^Delete /]) expect(await row.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '+ Add target' }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()).toBe(0);
    expect(await page.getByTestId('current-user').textContent()).toMatch(/spoke-eng\s*viewer/);
    await row.getByRole('link', { name: /History of/ }).click();
    await page.getByTestId('wire-panel').getByTestId('cadence').waitFor();
    expect(await page.locator('table.slots tbody tr').count()).toBe(10);
    await page.goto('/users');
    await page.getByTestId('admins-only').waitFor();
    expect(await page.title()).toBe('Users · NetWatch'); // a viewer's page has its title too
    await context.close();

    // the admin makes the viewer an admin on the users page
    const adminCtx = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 900 } });
    const admin = await adminCtx.newPage();
    admin.setDefaultTimeout(10_000);
    await login(admin, 'admin', ADMIN_PW);
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const userRow = admin.locator('tr', { hasText: 'spoke-eng' });
    await expect.poll(() => userRow.locator('td[data-label="Role"]').textContent()).toBe('viewer');
    await userRow.getByRole('button', { name: 'Edit spoke-eng' }).click();
    await admin.getByLabel('Role').selectOption('admin');
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => userRow.locator('td[data-label="Role"]').textContent()).toBe('admin');
    await adminCtx.close();
  });
});
