/**
 * Issue 13 §3–4 in Chromium on both stores: targets ticked on the dashboard open "Compare" (one
 * batched request, one legend entry and one series per target, synced charts; 20 ids from the
 * URL), and the wall of 300 targets: cell counts, virtualised rows, hover readouts, the disabled
 * colour, and a click that opens the history zoomed to the cell.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTarget } from '../../src/store/targets.js';
import { RESULTS_DIR, screenshot } from './harness.ts';
import { chartRig, E2E_STORES, probe, type ChartRig } from './chart-seed.ts';

const CELL = 300_000;
type Plot = HTMLElement & { uplot: { data: (number | null)[][]; series: { label?: string }[] } };

/** Mouse position over cell `j` of row `k` of the wall canvas (row relative to the scrolled view). */
async function cellPoint(page: Page, k: number, j: number) {
  return page.getByTestId('wall-canvas').evaluate(
    (el, [k, j]) => {
      const c = el as HTMLCanvasElement;
      const r = c.getBoundingClientRect();
      const axis = document.querySelector('[data-testid="wall-axis"] .u-over')!.getBoundingClientRect();
      const count = Number(c.dataset.count);
      // the cells span the axis plot area exactly (the canvas is aligned with it)
      return { x: Math.round(axis.left + ((j! + 0.5) / count) * axis.width), y: r.top + k! * 14 + 7 };
    },
    [k, j] as const,
  );
}

describe.each(E2E_STORES)('compare and wall in Chromium (%s)', (store) => {
  let rig: ChartRig;
  const ids: number[] = [];
  let from: number;
  beforeAll(async () => {
    rig = await chartRig(store);
    // 300 targets, names a-000…a-298 and z-last; the first 25 enabled in name only (interval 1 h,
    // so at most one live probe each, in the current cell), the rest disabled
    await rig.withDb(async (db) => {
      for (let i = 0; i < 300; i++) {
        const name = i === 299 ? 'z-last' : `a-${String(i).padStart(3, '0')}`;
        const t = await createTarget(db, { name, host: '127.0.0.1', port: 9, intervalSeconds: 3600, timeoutMs: null, retentionValue: 1, retentionUnit: 'year', enabled: false }, Date.now());
        ids.push(t.id);
      }
    });
    const now = Date.now();
    from = Math.floor(now / CELL) * CELL + CELL - 86_400_000;
    const at = (cell: number, s: number) => from + cell * CELL + s * 1000;
    // a-000, cell 280: 3 successes and 1 refusal; a-001, cell 280: 1 success, 1 timeout; a-002: cell 100 only local errors
    await rig.store([
      probe(ids[0]!, at(280, 1), 'success', 2, 40_001),
      probe(ids[0]!, at(280, 2), 'success', 2, 40_002),
      probe(ids[0]!, at(280, 3), 'success', 2, 40_003),
      probe(ids[0]!, at(280, 4), 'refused', null, 40_004, 'ECONNREFUSED'),
      probe(ids[1]!, at(280, 5), 'success', 8, 40_005),
      probe(ids[1]!, at(280, 6), 'timeout', null, 40_006, 'ETIMEDOUT'),
      probe(ids[2]!, at(100, 7), 'local_error', null, null, 'EMFILE'),
    ]);
  }, 120_000);
  afterAll(async () => rig?.close());

  it('ticks targets on the dashboard and compares them in one request, one legend entry and series each', async () => {
    const page = await rig.page();
    for (const name of ['a-000', 'a-001', 'a-002']) await page.getByLabel(`Compare ${name}`, { exact: true }).check();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/charts/')) requests.push(r.url());
    });
    await page.getByTestId('compare-link').click();
    await page.waitForURL((u) => u.pathname === '/compare' && u.searchParams.get('ids') === ids.slice(0, 3).join(','));
    const ratio = page.locator('[data-chart="compare-ratio"]');
    await expect.poll(() => ratio.getAttribute('data-series')).toBe('3');
    expect(requests).toHaveLength(1);
    expect(await page.getByTestId('compare-legend').locator('li').allTextContents()).toEqual([expect.stringMatching(/^a-000/), expect.stringMatching(/^a-001/), expect.stringMatching(/^a-002/)]);
    const data = await ratio.evaluate((el) => (el as Plot).uplot.data);
    expect(data).toHaveLength(4);
    const i = data[0]!.indexOf((from + 280 * CELL) / 1000);
    expect(i).toBeGreaterThan(0);
    expect([data[1]![i], data[2]![i], data[3]![i]]).toEqual([0.75, 0.5, null]);
    // both charts share the buckets; the synced cursor reads every target's values at once
    const connect = await page.locator('[data-chart="compare-connect"]').evaluate((el) => (el as Plot).uplot.data);
    expect(connect[0]).toEqual(data[0]);
    expect([connect[1]![i], connect[2]![i]]).toEqual([2, 8]);
    await page.locator('[data-chart="compare-ratio"]').evaluate((el, idx) => {
      (el as HTMLElement & { uplot: { setCursor: (c: { left: number; top: number }) => void; valToPos: (v: number, s: string) => number; data: number[][] } }).uplot.setCursor({
        left: (el as HTMLElement & { uplot: { valToPos: (v: number, s: string) => number; data: number[][] } }).uplot.valToPos((el as Plot).uplot.data[0]![idx]!, 'x'),
        top: 10,
      });
    }, i);
    await expect.poll(() => page.getByTestId('compare-legend').locator('li').first().textContent()).toMatch(/75\.00 % · 2\.00 ms$/);
    if (store === 'sqlite') await page.locator('section.compare').screenshot({ path: join(RESULTS_DIR, 'compare.png') });

    // 20 ids in the URL: 20 series
    await page.goto(`/compare?ids=${ids.slice(0, 20).join(',')}&range=1h`);
    await expect.poll(() => page.locator('[data-chart="compare-ratio"]').getAttribute('data-series')).toBe('20');
    expect(await page.getByTestId('compare-legend').locator('li').count()).toBe(20);
    await page.context().close();
  });

  it('on a 390 px phone the wall scrolls sideways in its own box; compare names an unknown id and claims no count', async () => {
    const page = await rig.page();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/wall?range=24h');
    await expect.poll(() => page.getByTestId('wall-canvas').getAttribute('data-cells'), { timeout: 15_000 }).toBe(String(300 * 288));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const [inner, shown] = await page.getByTestId('wall-x').evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(inner).toBeGreaterThan(shown!);
    // the API refuses the whole request and names the id; the title does not claim 2 targets
    await page.goto(`/compare?ids=${ids[0]},999999`);
    await expect.poll(() => page.locator('section.compare p.error').textContent()).toBe('No target with id 999999.');
    expect([await page.title(), await page.getByRole('heading', { level: 1 }).textContent()]).toEqual(['Compare · NetWatch', 'Compare']);
    await page.context().close();
  });

  it('draws the wall of 300 targets virtualised, reads cells on hover and opens the history of a cell', async () => {
    const page = await rig.page();
    const resp = page.waitForResponse((r) => r.url().includes('/api/charts/wall'));
    await page.goto('/wall?range=24h');
    expect((await resp).headers()['content-encoding']).toMatch(/^(br|gzip)$/);
    const canvas = page.getByTestId('wall-canvas');
    await expect.poll(() => canvas.getAttribute('data-cells')).toBe(String(300 * 288));
    expect(await canvas.getAttribute('data-rows')).toBe('300');
    const drawn = Number(await canvas.getAttribute('data-drawn-rows'));
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(80);

    // hover: counts of a-000's cell 280, a-002's local-error-only cell, an empty cell
    let p = await cellPoint(page, 0, 280);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.getByTestId('wall-readout').textContent()).toMatch(/^a-000 \(disabled\) · .* · 3 of 4 measured ok \(75\.00 %\), 4 attempts$/);
    p = await cellPoint(page, 2, 100);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.getByTestId('wall-readout').textContent()).toMatch(/^a-002 \(disabled\) · .* · nothing measured, 1 attempt$/);
    // colours: a-000's cell between red and green, an empty cell of a disabled target purple
    const px = (x: number, y: number) =>
      canvas.evaluate(
        (el, [x, y]) => {
          const c = el as HTMLCanvasElement;
          const r = c.getBoundingClientRect();
          const d = c.getContext('2d')!.getImageData((x! - r.left) * devicePixelRatio, (y! - r.top) * devicePixelRatio, 1, 1).data;
          return [d[0], d[1], d[2]];
        },
        [x, y] as const,
      );
    const ok = await cellPoint(page, 0, 280);
    expect(await px(ok.x, ok.y)).toEqual([140, 188, 110]); // 75 %: halfway from yellow (254, 224, 139) to green (26, 152, 80)
    const empty = await cellPoint(page, 0, 10);
    expect(await px(empty.x, empty.y)).toEqual([0x6a, 0x51, 0xa3]);
    if (store === 'sqlite') await screenshot(page, 'wall');

    // scroll to the end: other rows are drawn, the last target is read
    await page.locator('.wall-scroll').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect.poll(async () => Number(await canvas.getAttribute('data-first-row'))).toBeGreaterThan(200);
    const lastRow = 299 - Number(await canvas.getAttribute('data-first-row'));
    const top = await page.locator('.wall-scroll').evaluate((el) => el.scrollTop % 14);
    p = await cellPoint(page, lastRow, 5);
    await page.mouse.move(p.x, p.y - top);
    await expect.poll(() => page.getByTestId('wall-readout').textContent()).toMatch(/^z-last \(disabled\) · .* · no data$/);

    // keyboard: focus reads the newest cell of the first row in view; keys move and read cells
    await page.locator('.wall-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await expect.poll(() => canvas.getAttribute('data-first-row')).toBe('0');
    await canvas.focus();
    await expect.poll(() => page.getByTestId('wall-readout').textContent()).toMatch(/^a-000 \(disabled\) · .* · no data$/);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    for (let n = 0; n < 7; n++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('wall-readout').textContent()).toMatch(/^a-001 \(disabled\) · .* · 1 of 2 measured ok \(50\.00 %\), 2 attempts$/);
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await expect.poll(async () => Number(await canvas.getAttribute('data-first-row'))).toBeGreaterThan(0);

    // click a-000's cell 280: its history zoomed to the cell
    await page.locator('.wall-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await expect.poll(() => canvas.getAttribute('data-first-row')).toBe('0');
    p = await cellPoint(page, 0, 280);
    await page.mouse.click(p.x, p.y);
    await page.waitForURL((u) => u.pathname === `/targets/${ids[0]}/history`);
    const u = new URL(page.url());
    expect([Number(u.searchParams.get('from')), Number(u.searchParams.get('to'))]).toEqual([from + 280 * CELL, from + 281 * CELL]);
    await expect.poll(() => page.getByTestId('uptime').textContent()).toBe('75.00 %');

    // the range buttons read the wall again: 1 h of 1 min cells, 7 d of 1 h cells
    await page.goto('/wall?range=24h');
    await page.getByRole('button', { name: '1h', exact: true }).click();
    await expect.poll(() => canvas.getAttribute('data-cells')).toBe(String(300 * 60));
    await page.getByRole('button', { name: '7d', exact: true }).click();
    await expect.poll(() => canvas.getAttribute('data-cells')).toBe(String(300 * 168));
    expect(new URL(page.url()).searchParams.get('range')).toBe('7d');
    await page.context().close();
  });

  it("the 7 d wall in a half-hour zone (Asia/Kolkata): asks with the browser's zone, 1 h cells on local hours", async () => {
    const page = await rig.page({ timezoneId: 'Asia/Kolkata' });
    const resp = page.waitForResponse((r) => r.url().includes('/api/charts/wall'));
    await page.goto('/wall?range=7d');
    const res = await resp;
    // Chromium names the zone by its older alias; the server takes both
    expect(['Asia/Kolkata', 'Asia/Calcutta']).toContain(new URL(res.url()).searchParams.get('tz'));
    const w = (await res.json()) as { t: number[]; count: number; attempts: (number | null)[] };
    expect(w.t.every((t) => t % 3_600_000 === 1_800_000)).toBe(true); // local hours are :30 UTC
    const j = w.attempts.slice(0, w.count).findIndex((a) => a !== null); // a-000's cell with its 4 probes
    expect(w.attempts[j]).toBe(4);
    await expect.poll(() => page.getByTestId('wall-canvas').getAttribute('data-cells')).toBe(String(300 * 168));
    const p = await cellPoint(page, 0, j);
    await page.mouse.move(p.x, p.y);
    await expect
      .poll(() => page.getByTestId('wall-readout').textContent())
      .toMatch(/^a-000 \(disabled\) · \d{4}-\d\d-\d\d \d\d:00:00 UTC\+05:30–\d\d:00:00 · 3 of 4 measured ok \(75\.00 %\), 4 attempts$/);
    await page.context().close();
  });

  it('compare and wall pass axe-core (no serious or critical finding) in light and dark', async () => {
    const page = await rig.page({ bypassCSP: true });
    const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    const findings = async () => {
      if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
      return page.evaluate(async () => {
        const w = window as unknown as { axe: { run: (d: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } };
        const r = await w.axe.run(document, { resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map(
            (v) =>
              `${v.id}: ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(', ')}`,
          );
      });
    };
    for (const [path, ready] of [
      [`/compare?ids=${ids.slice(0, 3).join(',')}&range=24h`, '[data-chart="compare-ratio"][data-series="3"]'],
      ['/wall?range=1h', '[data-testid="wall-canvas"][data-cells]'],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(path);
        await page.locator(ready).waitFor();
        expect(await findings(), `${path} ${scheme}`).toEqual([]);
      }
    }
    await page.context().close();
  });
});
