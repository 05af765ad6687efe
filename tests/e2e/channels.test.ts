/**
 * Notification channels in the browser (issue 11): an admin adds a signed webhook channel on the
 * Channels page, sends a test that a real loopback receiver gets (signature verified), sees it
 * in the delivery log, and chooses the channel for a target in the target editor.
 */
import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiver } from '../helpers/receiver.ts';
import { launchBrowser, screenshot, startServer, type ServerHandle } from './harness.ts';

const ADMIN_PW = 'channels admin pw';
const SECRET = 'browser-secret-0123456789';

describe('channels in the browser (sqlite)', () => {
  let server: ServerHandle;
  let browser: Browser;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    hook = await receiver();
    server = await startServer({ ROOT_USER: 'admin', ROOT_PASSWORD: ADMIN_PW });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await hook?.close();
  });

  it('adds a webhook channel, sends a test, shows it in the log, and a target chooses the channel', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PW);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');

    await page.getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('button', { name: '+ Add channel' }).click();
    await page.getByLabel('Name').fill('ops hook');
    await page.getByLabel('URL', { exact: true }).fill(`${hook.url}/hook`);
    await page.getByRole('button', { name: 'Add channel', exact: true }).click();
    // the secret is required for a new webhook channel
    await expect.poll(() => page.locator('[data-field-error]').first().textContent()).toBe('Required.');
    await page.getByLabel('Signing secret').fill(SECRET);
    await page.getByLabel('Default: chosen for new targets').check();
    await page.getByRole('button', { name: 'Add channel', exact: true }).click();
    const row = page.getByTestId('channel-list').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);

    await row.first().getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => page.getByTestId('channel-note').textContent()).toBe('Test sent to ops hook.');
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]!.headers['x-netwatch-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.got[0]!.body).digest('hex')}`);
    await expect.poll(() => page.getByTestId('delivery-log').locator('tbody tr[data-status="sent"]').count()).toBe(1);
    // the secret never reaches the page
    expect(await page.content()).not.toContain(SECRET);
    await screenshot(page, 'channels');

    // a new target starts with the default channel checked
    await page.getByRole('link', { name: 'Targets' }).click();
    await page
      .getByRole('button', { name: /Add target/ })
      .first()
      .click();
    const box = page.getByRole('checkbox', { name: 'ops hook' });
    await expect.poll(() => box.isChecked()).toBe(true);
    await context.close();
  });
});
