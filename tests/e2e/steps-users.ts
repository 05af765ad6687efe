/** Main-flow steps on the users page. */
import { expect, it } from 'vitest';
import { type FlowContext } from './flow-context.ts';

/** Declares these steps of the main flow (run in order inside its describe block). */
export function userSteps(ctx: FlowContext): void {
  it('manages users: create, search, edit, delete with confirm; own delete is disabled', async () => {
    const { page, shot } = ctx;
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL('**/users');
    await expect.poll(() => page.getByRole('button', { name: 'Delete admin' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '+ Add user' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Username').fill('alice');
    await dlg.getByLabel('Password', { exact: true }).fill('short');
    await dlg.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => dlg.getByText('Password must be at least 8 characters.').count()).toBe(1);
    // the password is asked twice, as on the setup page
    await dlg.getByLabel('Password', { exact: true }).fill('alice password 1');
    await dlg.getByLabel('Confirm password').fill('alice password X');
    await dlg.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => dlg.getByText('Passwords do not match.').count()).toBe(1);
    await dlg.getByLabel('Confirm password').fill('alice password 1');
    await dlg.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'alice', exact: true }).count()).toBe(1);
    await page.getByLabel('Search').fill('ali');
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(2);
    await shot('users');

    // edit: rename and reset the password; the new credentials work
    await page.getByRole('button', { name: 'Edit alice' }).click();
    const edit = page.getByRole('dialog');
    expect(await edit.getByLabel('Username').inputValue()).toBe('alice');
    await edit.getByLabel('Username').fill('alice2');
    await edit.getByLabel('New password (leave blank to keep)').fill('alice password 2');
    await edit.getByLabel('Confirm new password').fill('alice password 2');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'alice2', exact: true }).count()).toBe(1);
    const other = await ctx.context.browser()!.newContext({ baseURL: ctx.server.baseUrl });
    const login = await other.request.post('/api/login', { data: { username: 'alice2', password: 'alice password 2' } });
    expect(login.status()).toBe(204);
    await other.close();

    await page.getByRole('button', { name: 'Delete alice2' }).click();
    await expect.poll(() => page.getByRole('dialog').locator('.confirm-message').textContent()).toContain('Delete user alice2?');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
  });
}
