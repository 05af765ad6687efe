/** Main-flow steps on the dashboard: editor validation, add, live status, search/sort, edit, disable, delete. */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { publish, XSS, type FlowContext } from './flow-context.ts';

/** Declares these steps of the main flow (run in order inside its describe block). */
export function targetSteps(ctx: FlowContext): void {
  /** Adds a target through the editor and returns its id. */
  async function addTarget(name: string, port: number, extra: (dlg: ReturnType<Page['getByRole']>) => Promise<void> = async () => {}) {
    const { page } = ctx;
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
    const { page } = ctx;
    await page.getByRole('button', { name: '+ Add target' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Port').fill('70000');
    await expect.poll(() => dlg.locator('.f-port [data-field-error]').textContent()).toBe('Port must be at most 65,535.');
    await dlg.getByLabel('Port').fill('');
    await expect.poll(() => dlg.locator('.f-port [data-field-error]').textContent()).toBe('Port is required.');
    await dlg.getByLabel('Port').fill('abc');
    await expect.poll(() => dlg.locator('.f-port [data-field-error]').textContent()).toBe('Port must be a number.');
    await dlg.getByLabel('Port').fill('70000');
    await dlg.getByLabel('Interval (s)').fill('5');
    await expect.poll(() => dlg.getByLabel('Timeout (s, optional)').getAttribute('placeholder')).toBe('default: 5');
    await dlg.getByLabel('Timeout (s, optional)').fill('6');
    await expect.poll(() => dlg.locator('.f-timeoutSeconds [data-field-error]').textContent()).toBe('Timeout must not exceed the interval.');
    await dlg.getByLabel('Timeout (s, optional)').fill('0.5');
    await expect.poll(() => dlg.locator('.f-timeoutSeconds [data-field-error]').count()).toBe(0);
    await dlg.getByLabel('Port').fill('8');
    await dlg.getByLabel('Name').fill('x');
    await dlg.getByLabel('Host').fill('127.0.0.1');
    // wire settings (issue 8): the same rules as the API, as you type
    await dlg.getByLabel('Source address (optional)').fill('hub.example');
    await expect.poll(() => dlg.locator('.f-sourceAddress [data-field-error]').textContent()).toMatch(/IPv4 or IPv6 address \(not a name\)/);
    await dlg.getByLabel('Source address (optional)').fill('');
    await dlg.getByLabel('Source range: first').fill('40000');
    await dlg.getByLabel('last', { exact: true }).fill('40000');
    await expect.poll(() => dlg.locator('.f-sourcePortMax [data-field-error]').textContent()).toMatch(/at least 13 ports \(it has 1\).*close mode rst/);
    await dlg.getByLabel('Close with').selectOption('rst');
    await expect.poll(() => dlg.locator('.f-sourcePortMax [data-field-error]').count()).toBe(0);
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
    const { page, open, refusedPort, ids, row } = ctx;
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    ids.open = await addTarget('open-svc', open.port, (dlg) => dlg.getByLabel('Timeout (s, optional)').fill('0.5'));
    ids.closed = await addTarget('closed-svc', refusedPort);
    ids.xss = await addTarget(XSS, refusedPort);
    await expect.poll(() => row('open').locator('.pill').textContent(), { timeout: 10_000 }).toBe('up');
    await expect.poll(() => row('closed').locator('.pill').textContent(), { timeout: 10_000 }).toBe('down (refused)');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await expect
      .poll(async () =>
        Number(
          await row('open')
            .locator('.c-num')
            .first()
            .textContent()
            .then((t) => parseFloat(t ?? '')),
        ),
      )
      .toBeGreaterThan(0);
  });

  it('renders a hostile target name as text, raising no dialog', async () => {
    const { page, dialogs, row } = ctx;
    await expect.poll(() => row('xss').locator('.c-name a').textContent()).toBe(XSS);
    expect(await page.locator('table.targets img').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('searches, filters and sorts', async () => {
    const { page } = ctx;
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
    // every column starts ascending on its first click, Connect included
    for (const label of ['Connect', 'Last probe', '24 h', 'Name']) {
      const header = page.locator('table.targets thead th', { hasText: label });
      await header.getByRole('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('ascending');
    }
  });

  it('edits a target', async () => {
    const { page, row } = ctx;
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
    const { row } = ctx;
    await row('closed').getByRole('button', { name: 'Disable closed-svc' }).click();
    await expect.poll(() => row('closed').locator('.pill').textContent()).toBe('disabled');
    await row('closed').getByRole('button', { name: 'Enable closed-svc' }).click();
    await expect.poll(() => row('closed').locator('.pill').textContent(), { timeout: 10_000 }).toBe('down (refused)');
  });

  it('deletes a target after a confirm dialog that names it', async () => {
    const { page, dialogs, row } = ctx;
    await row('xss')
      .getByRole('button', { name: `Delete ${XSS}` })
      .click();
    const dlg = page.getByRole('dialog');
    await expect.poll(() => dlg.locator('.confirm-message').textContent()).toContain(`Delete target ${XSS}`);
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await row('xss').count()).toBe(1);
    await row('xss')
      .getByRole('button', { name: `Delete ${XSS}` })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row('xss').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('draws sparklines for visible rows and takes the dashboard screenshot', async () => {
    const { row, shot, opts } = ctx;
    await expect.poll(() => row('open').locator('svg.spark').getAttribute('data-points'), { timeout: 35_000 }).not.toBe('0');
    const path = await shot('dashboard');
    if (opts.publishScreenshots) publish(path, 'dashboard.png');
  });
}
