/**
 * The main browser flow, run against SQLite always and against MariaDB when
 * NETWATCH_TEST_MYSQL_URL is set (see main-flow.test.ts / main-flow-mysql.test.ts).
 * Steps live in steps-*.ts and run in order, sharing one server, browser page and {@link FlowContext}.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowContext, FlowOptions } from './flow-context.ts';
import { closedPort, launchBrowser, openPort, screenshot, startServer } from './harness.ts';
import { authSteps } from './steps-auth.ts';
import { historySteps } from './steps-history.ts';
import { historyViewSteps } from './steps-history-view.ts';
import { pageSteps } from './steps-pages.ts';
import { targetSteps } from './steps-targets.ts';
import { userSteps } from './steps-users.ts';

export type { FlowOptions } from './flow-context.ts';

/** Declares the main end-to-end flow as one sequential describe block. */
export function defineMainFlow(opts: FlowOptions): void {
  describe(`main flow (${opts.label})`, () => {
    let browser: Browser | undefined;
    let closeOpen: (() => Promise<void>) | undefined;
    let cleanupEnv: (() => Promise<void>) | undefined;
    const ctx = {
      opts,
      ids: {},
      dialogs: [],
      pageErrors: [],
      row: (name: string) => ctx.page.locator(`tr[data-target-id="${ctx.ids[name]}"]`),
      shot: (name: string) => screenshot(ctx.page, `${opts.label}-${name}`),
    } as unknown as FlowContext;

    beforeAll(async () => {
      const extra = opts.env ? await opts.env() : undefined;
      cleanupEnv = extra?.cleanup;
      ctx.server = await startServer(extra?.env ?? {});
      const open = await openPort();
      ctx.open = open;
      closeOpen = open.close;
      ctx.refusedPort = await closedPort();
      browser = await launchBrowser();
      // a zone with a non-zero offset, so the UI's offset display is exercised
      ctx.context = await browser.newContext({ viewport: { width: 1280, height: 860 }, baseURL: ctx.server.baseUrl, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
      ctx.page = await ctx.context.newPage();
      ctx.page.setDefaultTimeout(10_000);
      ctx.page.on('dialog', (d) => {
        ctx.dialogs.push(d.message());
        void d.dismiss();
      });
      ctx.page.on('pageerror', (e) => ctx.pageErrors.push(e.message));
    });

    afterAll(async () => {
      await browser?.close();
      await ctx.server?.stop();
      await closeOpen?.();
      await cleanupEnv?.();
    });

    authSteps(ctx);
    targetSteps(ctx);
    historySteps(ctx);
    historyViewSteps(ctx);
    userSteps(ctx);
    pageSteps(ctx);

    it('fits a phone-width screen', async () => {
      const { page, ids, shot } = ctx;
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/');
      await expect.poll(() => page.locator('table.targets tbody tr').count()).toBe(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // no sideways scrolling inside the table either: every row action is on screen and usable
      const wrap = page.locator('.dashboard .table-wrap');
      expect(await wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      const actions = page.locator('table.targets tbody .c-actions > *');
      expect(await actions.count()).toBe(8);
      for (const box of await Promise.all((await actions.all()).map((a) => a.boundingBox()))) {
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
      await page.getByRole('button', { name: 'Edit open-svc renamed' }).click();
      await expect.poll(() => page.getByRole('dialog').count()).toBe(1);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      await shot('dashboard-phone');
      await page.goto(`/targets/${ids.open}/history`);
      await expect.poll(() => page.locator('[data-chart="ratio"] canvas').count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot('history-phone');
      await page.setViewportSize({ width: 1280, height: 860 });
    });

    it('raised no dialogs and no page errors', () => {
      expect(ctx.dialogs).toEqual([]);
      expect(ctx.pageErrors).toEqual([]);
    });
  });
}
