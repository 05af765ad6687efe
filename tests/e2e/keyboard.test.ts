/**
 * Issue 16 tests: keyboard only, in Chromium against the real server. Log in, add a target, open its
 * history (title and focus on the heading), change the range, move the chart cursor (announced),
 * read a bucket through the data table, log out — no mouse. Each dashboard row is one tab stop,
 * its actions reached with the arrow keys.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPort, startServer, type ServerHandle } from './harness.ts';

const PASSWORD = 'keys only please 1';

/** What the focused element says: its aria-label, else its text, else its name (inputs). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? (el.getAttribute('aria-label') ?? (el.textContent?.trim() || el.getAttribute('name') || '')).trim() : '';
  });

/** Presses Tab (or Shift+Tab) until the focused element says `want`; @returns the presses it took. */
async function tabTo(page: Page, want: string | RegExp, back = false, max = 60): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (typeof want === 'string' ? now === want : want.test(now)) return n;
  }
  throw new Error(`no focusable element saying ${want} within ${max} presses`);
}

describe('keyboard only (sqlite)', () => {
  let server: ServerHandle;
  let browser: Browser;
  let open: Awaited<ReturnType<typeof openPort>>;
  beforeAll(async () => {
    server = await startServer({ ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD });
    browser = await launchBrowser();
    open = await openPort();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await open?.close();
  });

  it('logs in, adds a target, reads its history through the data table, and logs out', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/login');
    expect(await page.title()).toBe('Log in · NetWatch');
    await page.getByLabel('Username').waitFor();
    expect(await focused(page)).toBe('username'); // the username field has autofocus
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/');
    expect(await page.title()).toBe('Targets · NetWatch');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    // add a target from the empty dashboard's offer
    await tabTo(page, 'Add your first target');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.type('web');
    await page.keyboard.press('Tab');
    await page.keyboard.type('127.0.0.1');
    await page.keyboard.press('Tab');
    await page.keyboard.type(String(open.port));
    await page.keyboard.press('Tab');
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => page.getByTestId('counts').textContent(), { timeout: 10_000 }).toMatch(/^1 up/);
    await page.waitForTimeout(2500); // a few probes

    // the row is one tab stop; → reaches its actions, ← comes back; Enter opens the history
    await tabTo(page, 'web');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('Edit web');
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).toBe('web');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/targets/*/history**');
    await expect.poll(() => page.title()).toBe('History · web · NetWatch');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    // change the range with a preset
    await tabTo(page, '2h');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('range') === '2h');
    await page.locator('[data-chart="ratio"] canvas').waitFor();
    // a custom From, typed in the page's 24-hour format; Enter runs it
    await tabTo(page, 'from');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const from = new Date(Date.now() - 20 * 60_000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const typed = `${from.getFullYear()}-${p2(from.getMonth() + 1)}-${p2(from.getDate())} ${p2(from.getHours())}:${p2(from.getMinutes())}:00`;
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('2026-13-01 25:00');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Use YYYY-MM-DD HH:MM:SS (24-hour).' }).count()).toBe(1);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(typed);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('from') === String(new Date(typed.replace(' ', 'T')).getTime()));
    await page.locator('[data-chart="ratio"] canvas').waitFor();
    // the canvas is an image named by its chart and summary
    expect(await page.locator('[data-chart="ratio"] canvas').getAttribute('aria-label')).toMatch(/^Success ratio chart\. Success ratio: \d+ buckets, \d+ with data: overall 100 %/);

    // the chart cursor: End goes to the last bucket with the readout announced
    await tabTo(page, /^History charts\./);
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => page.getByTestId('chart-announce').textContent())
      .toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d: (no probes|\d+ attempts, \d+ successes, ratio 100 %, failures none)\.$/);
    expect(await page.getByTestId('readout').textContent()).toMatch(/attempts/);

    // read a bucket through the data table
    await tabTo(page, 'Show data');
    await page.keyboard.press('Enter');
    const table = page.getByTestId('chart-data');
    await table.waitFor();
    const cells = await table.locator('tbody tr').last().locator('th, td').allTextContents();
    expect(cells[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d$/);
    expect(Number(cells[1])).toBeGreaterThan(0);
    expect(cells[1]).toBe(cells[2]);
    expect(cells[3]).toBe('100 %');
    expect(cells[7]).toBe('none');

    // log out: back up to the header
    await tabTo(page, 'Log out', true);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/login');
    await context.close();
  }, 60_000);

  it('each dashboard row is one tab stop', async () => {
    const login = await fetch(`${server.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    for (let i = 0; i < 9; i++) {
      await fetch(`${server.baseUrl}/api/targets`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `row ${i}`, host: '127.0.0.1', port: open.port, intervalSeconds: 60, retentionValue: 1, retentionUnit: 'day', enabled: false }),
      });
    }
    const context = await browser.newContext({ baseURL: server.baseUrl, extraHTTPHeaders: { cookie } });
    const page = await context.newPage();
    await page.goto('/');
    await expect.poll(() => page.locator('table.targets tbody tr').count()).toBe(10);
    await tabTo(page, 'row 0');
    // 9 more rows, 9 presses: nothing else in between
    expect(await tabTo(page, 'web', false, 20)).toBe(9);
    await context.close();
  }, 30_000);
});
