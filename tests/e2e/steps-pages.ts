/** Main-flow steps across pages: a link to a target that does not exist. */
import { expect, it } from 'vitest';
import type { FlowContext } from './flow-context.ts';

/** Declares the page steps. */
export function pageSteps(ctx: FlowContext): void {
  it('a target that does not exist: "Target not found" with a link back, no page error', async () => {
    const { page, ids } = ctx;
    for (const id of ['999999', 'abc']) {
      await page.goto(`/targets/${id}/history`);
      await expect.poll(() => page.getByTestId('target-missing').textContent()).toContain(`There is no target “${id}”`);
      expect([await page.title(), await page.locator('.range-controls, .probe-log').count()]).toEqual(['Target not found · NetWatch', 0]);
    }
    await page.getByRole('link', { name: 'Back to targets' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto(`/compare?ids=${ids.open},999999`);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('No target with id 999999.');
    expect(ctx.pageErrors).toEqual([]);
  });
}
