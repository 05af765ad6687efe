/**
 * The main browser flow, run against SQLite always and against MariaDB when
 * NETWATCH_TEST_MYSQL_URL is set (see main-flow.test.ts / main-flow-mysql.test.ts).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, launchBrowser, openPort, ROOT, screenshot, startServer, type ServerHandle } from './harness.ts';

/** Options of {@link defineMainFlow}. */
export interface FlowOptions {
  /** Label used in test names and screenshot file names. */
  label: string;
  /** Extra server env (e.g. MYSQL_*); called in beforeAll. */
  env?: () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>;
  /** Copy dashboard/history screenshots to docs/screenshots. */
  publishScreenshots?: boolean;
}

const XSS = '<img src=x onerror=alert(1)>';
const PASSWORD = 'correct horse battery';

/** Declares the main end-to-end flow as one sequential describe block. */
export function defineMainFlow(opts: FlowOptions): void {
  describe(`main flow (${opts.label})`, () => {
    let server: ServerHandle;
    let open: Awaited<ReturnType<typeof openPort>>;
    let refusedPort: number;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let cleanupEnv: (() => Promise<void>) | undefined;
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    const ids: Record<string, number> = {};

    const shot = (name: string) => screenshot(page, `${opts.label}-${name}`);
    const row = (name: keyof typeof ids) => page.locator(`tr[data-target-id="${ids[name]}"]`);

    beforeAll(async () => {
      const extra = opts.env ? await opts.env() : undefined;
      cleanupEnv = extra?.cleanup;
      server = await startServer(extra?.env ?? {});
      open = await openPort();
      refusedPort = await closedPort();
      browser = await launchBrowser();
      // a zone with a non-zero offset, so the UI's offset display is exercised
      context = await browser.newContext({ viewport: { width: 1280, height: 860 }, baseURL: server.baseUrl, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('pageerror', (e) => pageErrors.push(e.message));
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await open?.close();
      await cleanupEnv?.();
    });

    it('logs the setup token, and / leads a new install to the setup page', async () => {
      expect(server.setupToken).toMatch(/\S{8,}/);
      await page.goto('/');
      await page.waitForURL('**/setup');
      await expect.poll(() => page.getByRole('heading', { name: 'First-run setup' }).count()).toBe(1);
    });

    it('creates the first user with the token from ?token= and logs in', async () => {
      await page.goto(`/setup?token=${encodeURIComponent(server.setupToken!)}`);
      await expect.poll(() => page.getByLabel('Setup token').inputValue()).toBe(server.setupToken);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password').fill('something else');
      await page.getByRole('button', { name: 'Create user and log in' }).click();
      await expect.poll(() => page.getByText('Passwords do not match.').count()).toBe(1);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await shot('setup');
      await page.getByRole('button', { name: 'Create user and log in' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('admin');
    });

    it('logs out and back in (wrong password first)', async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL('**/login');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('wrong password!');
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong username or password.');
      await shot('login');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('admin');
      // a protected page without a session goes to /login
      const anon = await context.browser()!.newContext({ baseURL: server.baseUrl });
      const p2 = await anon.newPage();
      await p2.goto('/users');
      await p2.waitForURL('**/login?next=%2Fusers');
      await anon.close();
    });

    /** Adds a target through the editor and returns its id. */
    async function addTarget(name: string, port: number, extra: (dlg: ReturnType<Page['getByRole']>) => Promise<void> = async () => {}) {
      await page.getByRole('button', { name: '+ Add target' }).click();
      const dlg = page.getByRole('dialog');
      await dlg.getByLabel('Name').fill(name);
      await dlg.getByLabel('Host').fill('127.0.0.1');
      await dlg.getByLabel('Port').fill(String(port));
      await dlg.getByLabel('Interval (s)').fill('1');
      await extra(dlg);
      const created = page.waitForResponse((r) => r.url().endsWith('/api/targets') && r.request().method() === 'POST');
      await dlg.getByRole('button', { name: 'Add target' }).click();
      const res = await created;
      expect(res.status()).toBe(201);
      const body = (await res.json()) as { id: number };
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      return body.id;
    }

    it('validates the target editor as you type and shows API field errors', async () => {
      await page.getByRole('button', { name: '+ Add target' }).click();
      const dlg = page.getByRole('dialog');
      await dlg.getByLabel('Port').fill('70000');
      await expect.poll(() => dlg.locator('.f-port [data-field-error]').textContent()).toBe('Port must be at most 65,535.');
      await dlg.getByLabel('Interval (s)').fill('5');
      await expect.poll(() => dlg.getByLabel('Timeout (s, optional)').getAttribute('placeholder')).toBe('default: 5');
      await dlg.getByLabel('Timeout (s, optional)').fill('6');
      await expect.poll(() => dlg.locator('.f-timeoutSeconds [data-field-error]').textContent()).toBe('Timeout must not exceed the interval.');
      await dlg.getByLabel('Timeout (s, optional)').fill('0.5');
      await expect.poll(() => dlg.locator('.f-timeoutSeconds [data-field-error]').count()).toBe(0);
      await dlg.getByLabel('Port').fill('8');
      await dlg.getByLabel('Name').fill('x');
      await dlg.getByLabel('Host').fill('127.0.0.1');
      // the API's own 400 field errors are shown beside the field
      await page.route('**/api/targets', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'validation', message: 'Invalid target.', fields: { host: 'Server says no.' } }) })
          : route.fallback(),
      );
      await dlg.getByRole('button', { name: 'Add target' }).click();
      await expect.poll(() => dlg.locator('.f-host [data-field-error]').textContent()).toBe('Server says no.');
      await page.unroute('**/api/targets');
      await dlg.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    });

    it('adds targets and shows up / down (refused) live, without reload', async () => {
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
      ids.open = await addTarget('open-svc', open.port, (dlg) => dlg.getByLabel('Timeout (s, optional)').fill('0.5'));
      ids.closed = await addTarget('closed-svc', refusedPort);
      ids.xss = await addTarget(XSS, refusedPort);
      await expect.poll(() => row('open').locator('.pill').textContent(), { timeout: 10_000 }).toBe('up');
      await expect.poll(() => row('closed').locator('.pill').textContent(), { timeout: 10_000 }).toBe('down (refused)');
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
      await expect.poll(async () => Number(await row('open').locator('.c-num').first().textContent().then((t) => parseFloat(t ?? '')))).toBeGreaterThan(0);
    });

    it('renders a hostile target name as text, raising no dialog', async () => {
      await expect.poll(() => row('xss').locator('.c-name a').textContent()).toBe(XSS);
      expect(await page.locator('table.targets img').count()).toBe(0);
      expect(dialogs).toEqual([]);
    });

    it('searches, filters and sorts', async () => {
      await page.getByLabel('Search').fill('closed');
      await expect.poll(() => page.locator('table.targets tbody tr').count()).toBe(1);
      await page.getByLabel('Search').fill('');
      await page.getByLabel('Status').selectOption('up');
      await expect.poll(() => page.locator('table.targets tbody tr').count()).toBe(1);
      await page.getByLabel('Status').selectOption('all');
      const nameHeader = page.locator('th', { hasText: 'Name' });
      expect(await nameHeader.getAttribute('aria-sort')).toBe('ascending');
      await nameHeader.getByRole('button').click();
      expect(await nameHeader.getAttribute('aria-sort')).toBe('descending');
      const names = await page.locator('table.targets tbody .c-name').allTextContents();
      expect(names).toEqual(['open-svc', 'closed-svc', XSS]);
      await nameHeader.getByRole('button').click();
    });

    it('edits a target', async () => {
      await row('open').getByRole('button', { name: 'Edit open-svc' }).click();
      const dlg = page.getByRole('dialog');
      expect(await dlg.getByLabel('Timeout (s, optional)').inputValue()).toBe('0.5');
      // Escape closes the editor without saving
      await dlg.getByLabel('Name').fill('not saved');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      expect(await row('open').locator('.c-name').textContent()).toBe('open-svc');
      await row('open').getByRole('button', { name: 'Edit open-svc' }).click();
      await dlg.getByLabel('Name').fill('open-svc renamed');
      await dlg.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => row('open').locator('.c-name').textContent()).toBe('open-svc renamed');
    });

    it('disables and enables a target', async () => {
      await row('closed').getByRole('button', { name: 'Disable closed-svc' }).click();
      await expect.poll(() => row('closed').locator('.pill').textContent()).toBe('disabled');
      await row('closed').getByRole('button', { name: 'Enable closed-svc' }).click();
      await expect.poll(() => row('closed').locator('.pill').textContent(), { timeout: 10_000 }).toBe('down (refused)');
    });

    it('deletes a target after a confirm dialog that names it', async () => {
      await row('xss').getByRole('button', { name: `Delete ${XSS}` }).click();
      const dlg = page.getByRole('dialog');
      await expect.poll(() => dlg.locator('.confirm-message').textContent()).toContain(`Delete target ${XSS}`);
      await dlg.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      expect(await row('xss').count()).toBe(1);
      await row('xss').getByRole('button', { name: `Delete ${XSS}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => row('xss').count()).toBe(0);
      expect(dialogs).toEqual([]);
    });

    it('draws sparklines for visible rows and takes the dashboard screenshot', async () => {
      await expect.poll(() => row('open').locator('svg.spark').getAttribute('data-points'), { timeout: 35_000 }).not.toBe('0');
      const path = await shot('dashboard');
      if (opts.publishScreenshots) publish(path, 'dashboard.png');
    });

    it('shows history charts with data, a readout on hover, group-by and drag-to-zoom', async () => {
      const first = page.waitForResponse((r) => r.url().includes(`/api/targets/${ids.open}/history`));
      await row('open').getByRole('link', { name: 'History of open-svc renamed' }).click();
      await page.waitForURL(`**/targets/${ids.open}/history`);
      const hist = (await (await first).json()) as { step: number; buckets: { t: number; attempts: number; successes: number; ratio: number | null }[] };
      const ratioChart = page.locator('[data-chart="ratio"]');
      await expect.poll(() => ratioChart.getAttribute('data-points')).toBe(String(hist.buckets.length));
      const present = hist.buckets.filter((b) => b.attempts > 0).length;
      expect(present).toBeGreaterThan(0);
      expect(await ratioChart.getAttribute('data-present')).toBe(String(present));
      // the uPlot instance holds the buckets: x in seconds, empty buckets as null (gaps)
      const data = await ratioChart.evaluate((el) => (el as HTMLElement & { uplot: { data: (number | null)[][] } }).uplot.data);
      expect(data[0]).toEqual(hist.buckets.map((b) => b.t / 1000));
      expect(data[1]!.filter((v) => v === null).length).toBe(hist.buckets.length - present);
      expect(await page.locator('[data-chart] canvas').count()).toBe(3);
      expect(await page.getByTestId('step').textContent()).toBe(`${hist.step}s`);

      // hover the last bucket with attempts: the readout shows its numbers
      const idx = hist.buckets.map((b) => b.attempts > 0).lastIndexOf(true);
      const b = hist.buckets[idx]!;
      const pos = await ratioChart.evaluate((el, x) => {
        const u = (el as HTMLElement & { uplot: { valToPos: (v: number, s: string) => number; over: HTMLElement } }).uplot;
        const r = u.over.getBoundingClientRect();
        return { x: r.left + u.valToPos(x, 'x'), y: r.top + r.height / 2 };
      }, b.t / 1000);
      await page.mouse.move(pos.x, pos.y);
      const readout = page.getByTestId('readout');
      await expect.poll(() => readout.locator('[data-k="attempts"]').textContent()).toBe(String(b.attempts));
      expect(await readout.locator('[data-k="successes"]').textContent()).toBe(String(b.successes));
      expect(await readout.locator('[data-k="ratio"]').textContent()).toBe(b.ratio === 1 ? '100 %' : `${(b.ratio! * 100).toFixed(2)} %`);
      expect(await readout.locator('[data-k="t"]').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+0[12]:00$/); // Europe/Berlin

      // summary: all probes of the open port succeed
      expect(await page.getByTestId('uptime').textContent()).toBe('100 %');
      expect(await page.getByTestId('outages').textContent()).toBe('0');

      // the raw log: newest first, ms precision
      const times = await page.locator('table.log tbody tr td:first-child').allTextContents();
      expect(times.length).toBeGreaterThan(0);
      expect(times[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      expect([...times].sort().reverse()).toEqual(times);
      expect(await page.locator('table.log tbody tr[data-outcome="success"]').count()).toBe(times.length);

      // group-by changes the requested step
      const req = page.waitForRequest((r) => r.url().includes('/history') && new URL(r.url()).searchParams.get('step') === '20');
      await page.getByLabel('Group by').selectOption('20s');
      await req;
      await expect.poll(() => page.getByTestId('step').textContent()).toBe('20s');
      const n20 = Number(await ratioChart.getAttribute('data-points'));
      expect(n20).toBeGreaterThanOrEqual(180);
      expect(n20).toBeLessThanOrEqual(182);

      // drag-select on a chart zooms: narrower from/to, and auto picks a finer step
      await page.getByLabel('Group by').selectOption('auto');
      await expect.poll(() => page.getByTestId('step').textContent()).toBe('10s');
      const box = (await ratioChart.locator('.u-over').boundingBox())!;
      const zoomReq = page.waitForRequest((r) => r.url().includes('/history') && r.url().includes('step=auto'));
      await page.mouse.move(box.x + box.width - 60, box.y + box.height / 2);
      await page.mouse.down();
      // past the right edge: the selection is clamped to the end of the range, where the data is
      await page.mouse.move(box.x + box.width + 30, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      const zoomed = new URL((await zoomReq).url()).searchParams;
      expect(Number(zoomed.get('to')) - Number(zoomed.get('from'))).toBeLessThan(10 * 60_000);
      await expect.poll(() => page.getByTestId('step').textContent()).toBe('1s');
      expect(await page.locator('.presets [aria-pressed="true"]').count()).toBe(0);
      await expect.poll(() => ratioChart.getAttribute('data-present')).not.toBe('0');

      // zoom again onto the probes themselves (for the screenshot) and hover the newest one
      const xs = await ratioChart.evaluate((el) => {
        const u = (el as HTMLElement & { uplot: { data: (number | null)[][]; valToPos: (v: number, s: string) => number; over: HTMLElement } }).uplot;
        const r = u.over.getBoundingClientRect();
        const present = u.data[0]!.filter((_, i) => u.data[1]![i] != null);
        return { first: r.left + u.valToPos(present[0]! - 5, 'x'), last: r.left + u.valToPos(present[present.length - 1]!, 'x'), right: r.right, y: r.top + r.height / 2 };
      });
      const zoom2 = page.waitForResponse((r) => r.url().includes('/history'));
      await page.mouse.move(Math.max(box.x + 1, xs.first), xs.y);
      await page.mouse.down();
      await page.mouse.move(xs.right + 30, xs.y, { steps: 5 });
      await page.mouse.up();
      const h2 = (await (await zoom2).json()) as { buckets: { t: number; attempts: number }[] };
      await expect.poll(() => ratioChart.getAttribute('data-points')).toBe(String(h2.buckets.length));
      const lastT = h2.buckets.filter((b) => b.attempts > 0).pop()!.t / 1000;
      const hx = await ratioChart.evaluate((el, x) => {
        const u = (el as HTMLElement & { uplot: { valToPos: (v: number, s: string) => number; over: HTMLElement } }).uplot;
        return u.over.getBoundingClientRect().left + u.valToPos(x, 'x');
      }, lastT);
      await page.mouse.move(hx, xs.y);
      await expect.poll(() => readout.locator('[data-k="attempts"]').textContent()).not.toBe('0');
      const path = await shot('history');
      if (opts.publishScreenshots) publish(path, 'history.png');

      // a group-by giving more than 5,000 buckets shows the API's reason
      await page.getByLabel('Group by').selectOption('10s');
      await page.getByRole('button', { name: '4w' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/at most 5,000 are allowed/);
      await page.getByLabel('Group by').selectOption('1d');
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
      await expect.poll(() => page.getByTestId('step').textContent()).toBe('1d');
    });

    it('shows outages for the refused target', async () => {
      await page.goto(`/targets/${ids.closed}/history`);
      await expect.poll(() => page.getByTestId('uptime').textContent()).toBe('0 %');
      expect(Number(await page.getByTestId('outages').textContent())).toBeGreaterThanOrEqual(1);
      await expect.poll(() => page.locator('table.log tbody tr[data-outcome="refused"]').count()).toBeGreaterThan(0);
    });

    it('manages users: create, delete with confirm; own delete is disabled', async () => {
      await page.getByRole('link', { name: 'Users' }).click();
      await page.waitForURL('**/users');
      await expect.poll(() => page.getByRole('button', { name: 'Delete admin' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: '+ Add user' }).click();
      const dlg = page.getByRole('dialog');
      await dlg.getByLabel('Username').fill('alice');
      await dlg.getByLabel('Password').fill('short');
      await dlg.getByRole('button', { name: 'Add user' }).click();
      await expect.poll(() => dlg.getByText('Password must be at least 8 characters.').count()).toBe(1);
      await dlg.getByLabel('Password').fill('alice password 1');
      await dlg.getByRole('button', { name: 'Add user' }).click();
      await expect.poll(() => page.getByRole('cell', { name: 'alice', exact: true }).count()).toBe(1);
      await page.getByLabel('Search').fill('ali');
      await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
      await page.getByLabel('Search').fill('');
      await expect.poll(() => page.locator('table tbody tr').count()).toBe(2);
      await shot('users');
      await page.getByRole('button', { name: 'Delete alice' }).click();
      await expect.poll(() => page.getByRole('dialog').locator('.confirm-message').textContent()).toContain('Delete user alice?');
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
    });

    it('fits a phone-width screen', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/');
      await expect.poll(() => page.locator('table.targets tbody tr').count()).toBe(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot('dashboard-phone');
      await page.goto(`/targets/${ids.open}/history`);
      await expect.poll(() => page.locator('[data-chart="ratio"] canvas').count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot('history-phone');
      await page.setViewportSize({ width: 1280, height: 860 });
    });

    it('raised no dialogs and no page errors', () => {
      expect(dialogs).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
}

/** Copies a screenshot into docs/screenshots (committed). */
function publish(path: string, name: string): void {
  const dir = join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path, join(dir, name));
}
