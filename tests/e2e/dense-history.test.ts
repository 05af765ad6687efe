/**
 * Issue 13 §1–2 in Chromium on both stores: the history page reads the columnar format and draws
 * one point per 1 s bucket; raw mode draws every probe, its failures on the outcome lane, and the
 * hover readout names the probe's outcome, error code and local address and port.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RESULTS_DIR } from './harness.ts';
import { chartRig, E2E_STORES, probe, type ChartRig } from './chart-seed.ts';

type Plot = HTMLElement & { uplot: { data: (number | null)[][]; valToPos: (v: number, s: string) => number; over: HTMLElement } };

/** Moves the mouse over x = `tSec` (seconds) of the chart in `sel`. */
async function hoverAt(page: Page, sel: string, tSec: number) {
  const pos = await page.locator(sel).evaluate((el, x) => {
    const u = (el as Plot).uplot;
    const r = u.over.getBoundingClientRect();
    return { x: r.left + u.valToPos(x, 'x'), y: r.top + r.height / 2 };
  }, tSec);
  await page.mouse.move(pos.x, pos.y);
}

describe.each(E2E_STORES)('dense history and raw mode in Chromium (%s)', (store) => {
  let rig: ChartRig;
  let id: number;
  let base: number;
  beforeAll(async () => {
    rig = await chartRig(store);
    id = await rig.target('dense one');
    const now = Date.now();
    base = now - (now % 60_000) - 10 * 60_000;
    // 300 probes 2 s apart over 10 minutes; probe 100 refused (port 45678), probe 200 a local error
    const rows = Array.from({ length: 300 }, (_, k) =>
      k === 100
        ? probe(id, base + k * 2000, 'refused', null, 45_678, 'ECONNREFUSED')
        : k === 200
          ? probe(id, base + k * 2000, 'local_error', null, null, 'EMFILE')
          : probe(id, base + k * 2000, 'success', 1 + (k % 7), 40_000 + k),
    );
    await rig.store(rows);
  }, 60_000);
  afterAll(async () => rig?.close());

  it('draws one point per 1 s bucket from the columnar format, and every probe in raw mode with a readout', async () => {
    const page = await rig.page();
    const resp = page.waitForResponse((r) => r.url().includes(`/api/targets/${id}/history`));
    await page.goto(`/targets/${id}/history?from=${base}&to=${base + 600_000}&step=1`);
    const r = await resp;
    expect(new URL(r.url()).searchParams.get('format')).toBe('columns');
    // Brotli when Chromium offers it (it does over HTTPS), else gzip: compressed either way
    expect(r.headers()['content-encoding']).toMatch(/^(br|gzip)$/);
    const ratio = page.locator('[data-chart="ratio"]');
    await expect.poll(() => ratio.getAttribute('data-points')).toBe('600');
    // 300 seconds with probes, less the one holding only a local error (not measured: a gap)
    expect(await ratio.getAttribute('data-present')).toBe('299');

    // the refused probe's 1 s bucket lies between gaps: the failures chart still marks it, in refused's colour
    const refusedPixel = await page.locator('[data-chart="outcomes"]').evaluate(
      (el, x) => {
        const u = (el as HTMLElement & { uplot: { valToPos: (v: number, s: string, c: boolean) => number; ctx: CanvasRenderingContext2D } }).uplot;
        const d = u.ctx.getImageData(Math.round(u.valToPos(x, 'x', true)), Math.round(u.valToPos(1, 'y', true)), 1, 1).data;
        return [d[0], d[1], d[2]];
      },
      (base + 100 * 2000) / 1000,
    );
    expect(refusedPixel).toEqual([0xd5, 0x5e, 0x00]);

    // raw mode: every probe, failures on their lane, readout with local address and port
    await page.getByTestId('raw-toggle').check();
    const connect = page.locator('[data-chart="raw-connect"]');
    await expect.poll(() => connect.getAttribute('data-points')).toBe('300');
    expect(await connect.getAttribute('data-present')).toBe('298');
    expect(await page.locator('[data-chart="raw-lane"]').getAttribute('data-failures')).toBe('2');
    await hoverAt(page, '[data-chart="raw-connect"]', (base + 100 * 2000) / 1000);
    await expect.poll(() => page.getByTestId('raw-readout').textContent()).toMatch(/refused \(ECONNREFUSED\) · from 127\.0\.0\.1:45678 to 127\.0\.0\.1$/);
    await hoverAt(page, '[data-chart="raw-lane"]', (base + 150 * 2000) / 1000);
    await expect.poll(() => page.getByTestId('raw-readout').textContent()).toMatch(/success in \d\.\d\d ms · from 127\.0\.0\.1:40150 to 127\.0\.0\.1$/);
    if (store === 'sqlite') {
      await page
        .locator('.history .charts')
        .first()
        .screenshot({ path: join(RESULTS_DIR, 'dense-history.png') });
      await page.getByTestId('raw-mode').screenshot({ path: join(RESULTS_DIR, 'raw-mode.png') });
    }
    await page.context().close();
  });
});
