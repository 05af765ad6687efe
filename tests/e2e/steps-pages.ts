/** Main-flow steps across pages: every route's document title; a link to a target that does not exist. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { FlowContext } from './flow-context.ts';
import { ROOT } from './harness.ts';

/** Declares the page steps. */
export function pageSteps(ctx: FlowContext): void {
  it('names every page in the document title (<page> · NetWatch)', async () => {
    const { page, ids } = ctx;
    // route → title before ' · NetWatch' (a regular expression's source)
    const titles: Record<string, string> = {
      '/': 'Targets',
      '/targets/:id/history': 'History · .+',
      '/events': 'Events',
      '/channels': 'Notification channels',
      '/maintenance': 'Maintenance windows',
      '/compare': 'Compare · 1 target',
      '/wall': 'Wall · 24h',
      '/users': 'Users',
      '/tokens': 'API tokens',
      '/config': 'Configuration',
      '/audit': 'Audit log',
      '/nodes': 'Nodes',
      '/login': 'Log in',
      '/setup': 'First-run setup',
      '*': 'Page not found',
    };
    // every route of the router is in the list
    const routes = [...readFileSync(join(ROOT, 'ui/src/main.tsx'), 'utf8').matchAll(/<Route path="([^"]+)"/g)].map((m) => m[1]);
    expect(routes.sort()).toEqual(Object.keys(titles).sort());
    for (const [route, title] of Object.entries(titles)) {
      const path = route.replace(':id', String(ids.open)).replace('*', '/no-such-page') + (route === '/compare' ? `?ids=${ids.open}` : '');
      // an in-app navigation (no reload), so a page that sets no title would keep the one before
      await page.evaluate((p) => {
        history.pushState(null, '', p);
        dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await expect.poll(() => page.title(), { message: path }).toMatch(new RegExp(`^${title} · NetWatch$`));
    }
  });

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
