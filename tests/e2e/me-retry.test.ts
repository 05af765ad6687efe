/**
 * A page opened while the server answers 503 (database down) recovers by itself once the server
 * answers again: the app asks GET /api/me again instead of staying on "Loading…" (found by the
 * fresh-user review). The 503s are injected in Chromium for the first requests only.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer, type ServerHandle } from './harness.ts';

const PASSWORD = 'correct horse battery';

describe('the app after a failed session check', () => {
  let server: ServerHandle;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer({ ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks /api/me again and shows the page once the server answers', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.request.post(`${server.baseUrl}/api/login`, { data: { username: 'admin', password: PASSWORD } });
    let failing = true;
    let calls = 0;
    await page.route('**/api/me', async (route) => {
      calls++;
      if (failing) await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'database_unavailable', message: 'The database is not answering right now.' }) });
      else await route.continue();
    });
    await page.goto(`${server.baseUrl}/`);
    await page.getByText('The database is not answering right now.').waitFor();
    failing = false;
    await page.getByRole('button', { name: '+ Add target' }).waitFor({ timeout: 10_000 });
    expect(await page.getByText('The database is not answering right now.').count()).toBe(0);
    expect(calls).toBeGreaterThanOrEqual(2);
    await context.close();
  });
});
