/**
 * The dashboard with 2,000 targets (issue 12 §4): virtualised, so only the rows in view (plus a
 * few) are in the DOM and sparklines are asked for those only; scrolling brings the last target,
 * search finds one far down, sorting reverses. Targets are disabled so nothing is probed.
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

  const rendered = () => page.locator('table.targets tbody tr[data-target-id]').count();
  const names = () => page.locator('table.targets tbody tr[data-target-id] .c-name').allTextContents();

  it('renders only the rows in view, and asks sparklines for those only', async () => {
    const spark = page.waitForRequest((r) => r.url().includes('/api/sparklines'));
    await page.goto('/');
    await expect.poll(() => page.getByText(`${N} of ${N} targets`).count(), { timeout: 10_000 }).toBe(1);
    const n = await rendered();
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThan(80);
    expect((await names())[0]).toBe('svc-0000');
    const ids = new URL((await spark).url()).searchParams.get('ids')!.split(',');
    expect(ids.length).toBe(n);
    // the scroll area is as tall as every row would be
    const height = await page.getByTestId('targets-scroll').evaluate((el) => el.scrollHeight);
    expect(height).toBeGreaterThan(N * 20);
    await screenshot(page, 'scale-dashboard');
  });

  it('scrolls to the last target with a handful of rows in the DOM', async () => {
    await page.getByTestId('targets-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await names()).at(-1)).toBe('svc-1999');
    expect(await rendered()).toBeLessThan(80);
    await page.getByTestId('targets-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect.poll(async () => (await names()).some((x) => x >= 'svc-0950' && x <= 'svc-1050')).toBe(true);
  });

  it('search finds a target far down, and sorting reverses the list', async () => {
    await page.getByLabel('Search').fill('svc-1987');
    await expect.poll(names).toEqual(['svc-1987']);
    await page.getByLabel('Search').fill('');
    await expect.poll(async () => (await names())[0]).toBe('svc-0000');
    const header = page.locator('th', { hasText: 'Name' });
    await header.getByRole('button').click();
    await expect.poll(async () => (await names())[0]).toBe('svc-1999');
    expect(await rendered()).toBeLessThan(80);
  });
});
