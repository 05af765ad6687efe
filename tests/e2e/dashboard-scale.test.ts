/**
 * The dashboard with 2,000 targets: paged to 50 rows, sparklines requested only for the visible
 * rows, and sorting/searching/polling stay quick. Targets are disabled so nothing is probed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type ServerHandle } from './harness.ts';

const N = 2000;

describe('dashboard with 2,000 targets', () => {
  let server: ServerHandle;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ ROOT_USER: 'root', ROOT_PASSWORD: 'root password 1' });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.baseUrl });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const login = await page.request.post('/api/login', { data: { username: 'root', password: 'root password 1' } });
    expect(login.status()).toBe(204);
    for (let i = 0; i < N; i += 100) {
      const batch = Array.from({ length: Math.min(100, N - i) }, (_, j) => i + j);
      const codes = await Promise.all(
        batch.map(async (k) => {
          const res = await page.request.post('/api/targets', {
            data: { name: `svc-${String(k).padStart(4, '0')}`, host: `10.${k >> 8}.${k & 255}.1`, port: 1000 + k, intervalSeconds: 60, retentionValue: 1, retentionUnit: 'day', enabled: false },
          });
          return res.status();
        }),
      );
      expect(codes.every((c) => c === 201)).toBe(true);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders one page of 50 rows and asks sparklines for those 50 only', async () => {
    const spark = page.waitForRequest((r) => r.url().includes('/api/sparklines'));
    const t0 = Date.now();
    await page.goto('/');
    await expect.poll(() => page.locator('table.targets tbody tr').count(), { timeout: 10_000 }).toBe(50);
    const firstRender = Date.now() - t0;
    expect(firstRender).toBeLessThan(5000);
    const ids = new URL((await spark).url()).searchParams.get('ids')!.split(',');
    expect(ids).toHaveLength(50);
    expect(await page.getByText(`${N} of ${N} targets`).count()).toBe(1);
    expect(await page.getByText('Page 1 of 40').count()).toBe(1);
    await screenshot(page, 'scale-dashboard');
  });

  it('pages, sorts and searches quickly while polling', async () => {
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => page.locator('table.targets tbody .c-name').first().textContent()).toBe('svc-0050');
    const header = page.locator('th', { hasText: 'Name' });
    const t0 = Date.now();
    await header.getByRole('button').click();
    await expect.poll(() => page.locator('table.targets tbody .c-name').first().textContent()).toBe('svc-1949');
    expect(Date.now() - t0).toBeLessThan(1000);
    await page.getByLabel('Search').fill('1000');
    await expect.poll(() => page.locator('table.targets tbody .c-name').allTextContents()).toEqual(['svc-1000', 'svc-0000']);
    // two polls later the page is still consistent and the rows were kept (same DOM nodes)
    await page
      .locator('table.targets tbody tr')
      .first()
      .evaluate((el) => ((el as HTMLElement & { mark?: number }).mark = 1));
    for (let i = 0; i < 2; i++) await page.waitForResponse((r) => r.url().endsWith('/api/targets'));
    await page.waitForTimeout(50); // let the poll's render finish
    expect(
      await page
        .locator('table.targets tbody tr')
        .first()
        .evaluate((el) => (el as HTMLElement & { mark?: number }).mark),
    ).toBe(1);
  });
});
