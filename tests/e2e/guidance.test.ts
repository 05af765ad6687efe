/**
 * Issue 16 §5 in Chromium against the real server: the setup and user forms move focus to their
 * first invalid field; the empty dashboard offers a first target; the target editor explains what a
 * target and each field are, fits its form at 1280 and 390 px wide, and recognises a URL pasted
 * into Host, offering to split it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer, type ServerHandle } from './harness.ts';

const PASSWORD = 'guide me please 1';
const focusedName = (page: Page) => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? null);
/** Elements of `form` (itself included) wider than their box or reaching past the form's right edge. */
const overflowing = (form: Element) => {
  const right = form.getBoundingClientRect().right;
  return [form, ...form.querySelectorAll('*')]
    .filter((el) => el.scrollWidth > el.clientWidth || el.getBoundingClientRect().right > right + 0.5)
    .map((el) => `${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
};

describe('guidance where users decide (sqlite)', () => {
  let server: ServerHandle;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('setup and user forms focus the first invalid field; the editor guides and splits a pasted URL', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`/setup?token=${encodeURIComponent(server.setupToken!)}`);
    await page.getByLabel('Username').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create user and log in' }).click();
    // username is empty (and the confirmation differs): focus goes to the first, Username
    await expect.poll(() => focusedName(page)).toBe('username');
    await page.getByLabel('Username').fill('admin');
    await page.getByRole('button', { name: 'Create user and log in' }).click();
    await expect.poll(() => focusedName(page)).toBe('confirm');
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create user and log in' }).click();
    await page.waitForURL((u) => u.pathname === '/');

    // the empty dashboard offers a first target
    const offer = page.getByTestId('first-target');
    expect(await offer.textContent()).toContain('No targets yet.');
    await offer.getByRole('button', { name: 'Add your first target' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Name').waitFor();
    // the editor fits its form on a desktop and a phone (its "On the wire" fieldset was 68 px wider)
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await dlg.locator('form').evaluate(overflowing), `${width} px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await dlg.locator('.guide').textContent()).toMatch(/A target is a host and TCP port\. .*handshake only/);
    expect(await dlg.locator('.hint').allTextContents()).toEqual([
      'Any label, 1–100 characters.',
      'A host name or IP address alone: no scheme, port or path.',
      'TCP port, 1–65,535.',
      'From one probe’s start to the next: 1–86,400 s.',
      'How long to wait for the handshake: 0.1–60 s, at most the interval; decimals allowed, e.g. 0.5.',
      '1–100,000 of the unit; older results are deleted.',
      'Failed probes in a row before the target is down: 1–100, default 3.',
      'Successes in a row before it is up again: 1–100, default 1.',
      "Bind probes to this address of one of this host's interfaces, so a VPN's traffic selector matches.",
      'Source ports 1,024–65,535, used in turn; first = last for one fixed port.',
      'Location names separated by commas, e.g. fra, ams: one NetWatch node of each location probes it. Empty = the location "default".',
      'No channels yet (add them on the Channels page).',
    ]);
    // fields are described by their hints
    expect(await dlg.getByLabel('Port').evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!.split(' ').at(-1)!)?.textContent)).toBe('TCP port, 1–65,535.');

    // a pasted URL: recognised, and split on request
    await dlg.getByLabel('Name').fill('site');
    await dlg.getByLabel('Host').fill('http://example.com:80/x');
    const urlOffer = dlg.getByTestId('url-offer');
    expect(await urlOffer.textContent()).toBe('That looks like a URL. Host takes the host alone; the port goes in Port. Use host example.com and port 80');
    await urlOffer.getByRole('button', { name: 'Use host example.com and port 80' }).click();
    expect(await dlg.getByLabel('Host').inputValue()).toBe('example.com');
    expect(await dlg.getByLabel('Port').inputValue()).toBe('80');
    expect(await urlOffer.count()).toBe(0);
    expect(await focusedName(page)).toBe('intervalSeconds');
    await dlg.getByLabel('Host').fill('db.internal:5432');
    expect(await urlOffer.textContent()).toContain('That looks like host:port.');
    await dlg.getByRole('button', { name: 'Cancel' }).click();

    // the user form: an empty submit focuses Username
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: '+ Add user' }).click();
    const userDlg = page.getByRole('dialog');
    await userDlg.getByLabel('Username').waitFor();
    await userDlg.getByLabel('Password', { exact: true }).focus();
    await userDlg.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => focusedName(page)).toBe('username');
    await userDlg.getByLabel('Username').fill('second');
    await userDlg.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => focusedName(page)).toBe('password');
    await userDlg.getByRole('button', { name: 'Cancel' }).click();

    // the Nodes page (issue 10): on SQLite it says this is the only node, and lists it up
    await page.getByRole('link', { name: 'Nodes' }).click();
    expect(await page.getByTestId('single-node').textContent()).toMatch(/SQLite store: NetWatch runs as a single node here/);
    const rows = page.locator('table[aria-label="Nodes"] tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-up')).toBe('true');
    expect(await rows.first().textContent()).toMatch(/\(this one\).*default.*up/);
    await context.close();
  }, 60_000);
});
