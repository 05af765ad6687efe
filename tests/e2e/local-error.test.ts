/**
 * `local_error` in the browser (issue 15 §4): a target whose history holds successes, refusals
 * and local errors (stored through the real store, as the writer stores them) shows the local
 * errors in their own colour in the failures chart and the probe log, and its uptime and ratio
 * leave them out ("not measured") instead of counting them as failures. Real server, real Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/domain/types.js';
import { storeBatch } from '../../src/store/rollups.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { launchBrowser, screenshot, startServer, type ServerHandle } from './harness.ts';

describe('local_error in the UI (sqlite)', () => {
  let server: ServerHandle;
  let browser: Browser;
  const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-e2e-local-'));
  beforeAll(async () => {
    server = await startServer({ NETWATCH_DATA_DIR: dataDir, ROOT_USER: 'admin', ROOT_PASSWORD: 'local error check' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('draws local errors in their own colour in the failures chart and probe log, and leaves them out of uptime', async () => {
    const login = await fetch(`${server.baseUrl}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'local error check' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const created = await fetch(`${server.baseUrl}/api/targets`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      // disabled: only the results stored below exist for it
      body: JSON.stringify({ name: 'hub out of descriptors', host: '127.0.0.1', port: 9, intervalSeconds: 10, retentionValue: 1, retentionUnit: 'day', enabled: false }),
    });
    const { id } = (await created.json()) as { id: number };
    const now = Date.now();
    const minute = now - (now % 60_000);
    const r = (k: number, outcome: ProbeResult['outcome'], errorCode: string | null): ProbeResult => ({
      targetId: id,
      startedAt: minute - 10 * 60_000 + k * 10_000,
      outcome,
      connectMs: outcome === 'success' ? 0.4 : null,
      dnsMs: null,
      address: '127.0.0.1',
      localPort: outcome === 'local_error' ? null : 40000 + k,
      errorCode,
    });
    const rows = [...[0, 1, 2, 3, 4, 5].map((k) => r(k, 'success', null)), ...[6, 7].map((k) => r(k, 'refused', 'ECONNREFUSED')), ...[12, 13, 14, 15].map((k) => r(k, 'local_error', 'EMFILE'))];
    const db = openSqlite(join(dataDir, 'netwatch.db'));
    try {
      await storeBatch(db, rows);
    } finally {
      await db.close();
    }

    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto('/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('local error check');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto(`/targets/${id}/history?from=${minute - 15 * 60_000}&to=${minute + 60_000}&step=60`);

    // uptime over measured attempts: 6 of 8, not 6 of 12 (minutes: 6 successes; 2 refused; 4 local errors)
    await expect.poll(() => page.getByTestId('uptime').textContent()).toBe('75.00 %');

    // probe log: local errors in their own colour, distinct from failures
    await expect.poll(() => page.locator('table.log tbody tr[data-outcome="local_error"] .outcome-local').count()).toBe(4);
    const colour = (sel: string) =>
      page
        .locator(sel)
        .first()
        .evaluate((el) => getComputedStyle(el).color);
    const local = await colour('tr[data-outcome="local_error"] .outcome');
    const failed = await colour('tr[data-outcome="refused"] .outcome');
    const ok = await colour('tr[data-outcome="success"] .outcome');
    expect(new Set([local, failed, ok]).size).toBe(3);
    expect(await page.locator('tr[data-outcome="local_error"] td[data-col="error"]').first().textContent()).toBe('EMFILE');

    // failures chart: a local_error series with its own colour and the 4 counts
    const chart = page.locator('[data-chart="outcomes"]');
    const markers = await chart
      .locator('.u-legend .u-series')
      .evaluateAll((els) => els.map((el) => [el.querySelector('.u-label')?.textContent ?? '', (el.querySelector('.u-marker') as HTMLElement | null)?.style.borderColor ?? '']));
    const byLabel = Object.fromEntries(markers.slice(1));
    expect(byLabel.local_error).toBe('rgb(230, 159, 0)'); // #E69F00, Okabe–Ito orange (chartOptions.ts)
    expect(new Set(Object.values(byLabel)).size).toBe(Object.keys(byLabel).length);
    const counts = await chart.evaluate((el) => {
      const u = (el as HTMLElement & { uplot: { data: (number | null)[][]; series: { label?: string }[] } }).uplot;
      const i = u.series.findIndex((s) => s.label === 'local_error');
      const j = u.series.findIndex((s) => s.label === 'error');
      // the chart stacks: a kind's own count is its series minus the one below it
      return u.data[i]!.map((v, k) => (v ?? 0) - (u.data[j]![k] ?? 0)).reduce((a, b) => a + b, 0);
    });
    expect(counts).toBe(4);

    // ratio chart: successes 1, refusals 0, and the minute that holds only local errors a gap (not 0)
    const ratios = await page.locator('[data-chart="ratio"]').evaluate((el) => (el as HTMLElement & { uplot: { data: (number | null)[][] } }).uplot.data[1]!);
    expect(ratios.slice(5, 8)).toEqual([1, 0, null]);
    await screenshot(page, 'local-error-history');
    await context.close();
  });
});
