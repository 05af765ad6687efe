/** Main-flow steps: first-run setup, logout, login. */
import { expect, it } from 'vitest';
import { PASSWORD, type FlowContext } from './flow-context.ts';

/** Declares these steps of the main flow (run in order inside its describe block). */
export function authSteps(ctx: FlowContext): void {
  it('logs the setup token, and / leads a new install to the setup page', async () => {
    const { page, server } = ctx;
    expect(server.setupToken).toMatch(/\S{8,}/);
    await page.goto('/');
    await page.waitForURL('**/setup');
    await expect.poll(() => page.getByRole('heading', { name: 'First-run setup' }).count()).toBe(1);
  });

  it('creates the first user with the token from ?token= and logs in', async () => {
    const { page, server, shot } = ctx;
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
    const { page, server, context, shot } = ctx;
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
}
