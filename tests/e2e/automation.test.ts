/**
 * Automation pages in Chromium (issue 14): create an API token (shown once), use it from a script,
 * see its last use, revoke it (the next request is 401); import a file on the Configuration page
 * with the dry-run diff shown before anything changes (channels too); the target's "History of changes" panel
 * and the Audit page show who did it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { launchBrowser, startServer, type ServerHandle } from './harness.ts';

const PASSWORD = 'correct horse battery';

describe('automation pages', () => {
  let server: ServerHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    server = await startServer({ ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD });
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    const login = await page.request.post(`${server.baseUrl}/api/login`, { data: { username: 'admin', password: PASSWORD }, headers: { origin: server.baseUrl } });
    expect(login.status()).toBe(204);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });
  const withToken = (token: string, path: string, init: RequestInit = {}) =>
    fetch(`${server.baseUrl}/api${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });

  it('creates a token shown once, lists its last use, and revokes it', async () => {
    await page.goto(`${server.baseUrl}/tokens`);
    await page.getByLabel('Name').fill('ci deploy');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('new-token').inputValue();
    expect(token).toMatch(/^nwt_/);
    expect((await withToken(token, '/me')).status).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    const row = page.locator('tr', { hasText: 'ci deploy' });
    await row.getByText('127.0.0.1').waitFor();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    // an admin can list every user's tokens, with the owner
    await page.getByLabel("Show every user's tokens").check();
    await page.getByRole('columnheader', { name: 'User' }).waitFor();
    // the list reloads after the header appears: wait for the row with its owner
    await page
      .locator('tr', { hasText: 'ci deploy' })
      .locator('td')
      .first()
      .filter({ hasText: /^admin$/ })
      .waitFor();
    await row.getByRole('button', { name: 'Revoke ci deploy' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No tokens yet.').waitFor();
    expect((await withToken(token, '/me')).status).toBe(401);
  });

  it('shows the dry-run diff before applying an import, then the change history of the target and the audit log', async () => {
    await page.goto(`${server.baseUrl}/config`);
    const file = { version: 1, targets: [{ key: 'edge', name: 'Edge router', host: '127.0.0.1', port: 2222, intervalSeconds: 30, retentionValue: 3, retentionUnit: 'day', enabled: false }] };
    await page.locator('input[type=file]').setInputFiles({ name: 'netwatch.yaml', mimeType: 'application/yaml', buffer: Buffer.from(YAML.stringify(file)) });
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const plan = page.getByTestId('import-plan');
    await plan.getByText('1 to create, 0 to update, 0 to delete, 0 unchanged').waitFor();
    await plan.getByText('+ Edge router').waitFor();
    const before = await page.request.get(`${server.baseUrl}/api/targets`);
    expect(((await before.json()) as { targets: unknown[] }).targets).toHaveLength(0);
    await page.getByRole('button', { name: 'Apply these changes' }).click();
    await page.getByTestId('import-done').getByText('1 created').waitFor();
    const targets = ((await (await page.request.get(`${server.baseUrl}/api/targets`)).json()) as { targets: { id: number; name: string }[] }).targets;
    expect(targets.map((t) => t.name)).toEqual(['Edge router']);

    // a second file changes the port: the diff names it, and the target's page shows who changed it
    file.targets[0]!.port = 2223;
    await page.locator('input[type=file]').setInputFiles({ name: 'netwatch.yaml', mimeType: 'application/yaml', buffer: Buffer.from(YAML.stringify(file)) });
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.getByTestId('import-plan').getByText('0 to create, 1 to update').waitFor();
    await page.getByRole('button', { name: 'Apply these changes' }).click();
    await page.getByTestId('import-done').waitFor();
    await page.goto(`${server.baseUrl}/targets/${targets[0]!.id}/history`);
    const panel = page.getByRole('table', { name: 'History of changes' });
    await panel.locator('tbody tr').nth(1).waitFor();
    expect(await panel.locator('tbody tr').count()).toBe(2);
    expect(await panel.locator('tbody tr').first().innerText()).toMatch(/admin[\s\S]*update[\s\S]*port:\s*2222\s*→\s*2223/);

    await page.goto(`${server.baseUrl}/audit`);
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.getByText('import config').first().waitFor();
    expect(await audit.getByText('delete token').count()).toBe(1);
    expect(await audit.getByText('login session').count()).toBeGreaterThanOrEqual(1);
  });

  it('the dry-run diff lists a channel to create and the secret it will lack', async () => {
    await page.goto(`${server.baseUrl}/config`);
    const file = { version: 1, targets: [], channels: [{ name: 'ops hook', kind: 'webhook', config: { url: 'https://hooks.example.com/nw' } }] };
    await page.locator('input[type=file]').setInputFiles({ name: 'netwatch.yaml', mimeType: 'application/yaml', buffer: Buffer.from(YAML.stringify(file)) });
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const plan = page.getByTestId('import-plan');
    await plan.getByText('+ channel ops hook').waitFor();
    await plan.getByText('webhook; sends nothing until secret is set on the Channels page').waitFor();
    expect(await page.getByRole('button', { name: 'Apply these changes' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(((await (await page.request.get(`${server.baseUrl}/api/channels`)).json()) as { channels: unknown[] }).channels).toEqual([]);
  });
});
