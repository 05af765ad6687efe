/** Main-flow steps on the history page: charts, time axis, readout, group-by, zoom, URL state. */
import { expect, it } from 'vitest';
import { bucketsFromColumns, type HistoryColumns } from '../../src/domain/history-columns.ts';
import { publish, type FlowContext } from './flow-context.ts';

/** Declares these steps of the main flow (run in order inside its describe block). */
export function historySteps(ctx: FlowContext): void {
  it('shows history charts with data, a readout on hover, group-by and drag-to-zoom', async () => {
    const { page, ids, row, shot, opts } = ctx;
    const first = page.waitForResponse((r) => r.url().includes(`/api/targets/${ids.open}/history`));
    await row('open').getByRole('link', { name: 'History of open-svc renamed' }).click();
    // the view is in the URL (a preset relative to now, and the group-by)
    await page.waitForURL((u) => u.pathname === `/targets/${ids.open}/history` && u.searchParams.get('range') === '1h' && u.searchParams.get('step') === 'auto');
    // the UI reads the columnar format (issue 13)
    const cols = (await (await first).json()) as HistoryColumns & { step: number };
    expect(new URL((await first).url()).searchParams.get('format')).toBe('columns');
    const hist = { step: cols.step, buckets: bucketsFromColumns(cols) };
    const ratioChart = page.locator('[data-chart="ratio"]');
    await expect.poll(() => ratioChart.getAttribute('data-points')).toBe(String(hist.buckets.length));
    const present = hist.buckets.filter((b) => b.attempts > 0).length;
    expect(present).toBeGreaterThan(0);
    expect(await ratioChart.getAttribute('data-present')).toBe(String(present));
    // the uPlot instance holds the buckets: x in seconds, empty buckets as null (gaps)
    const data = await ratioChart.evaluate((el) => (el as HTMLElement & { uplot: { data: (number | null)[][] } }).uplot.data);
    expect(data[0]).toEqual(hist.buckets.map((b) => b.t / 1000));
    expect(data[1]!.filter((v) => v === null).length).toBe(hist.buckets.length - present);
    expect(await page.locator('[data-chart] canvas').count()).toBe(3);
    expect(await page.getByTestId('step').textContent()).toBe(`${hist.step}s`);
    // the time axis speaks the UI's 24-hour local format, not uPlot's US default (4:05pm, 11/29)
    const axis = await ratioChart.evaluate((el) => (el as HTMLElement & { uplot: { axes: { _values: string[] }[] } }).uplot.axes[0]!._values);
    expect(axis.length).toBeGreaterThan(1);
    for (const label of axis) expect(label).toMatch(/^\d\d:\d\d(:\d\d)?(\n\d{4}-\d\d-\d\d)?$/);

    // hover the last bucket with attempts: the readout shows its numbers
    const idx = hist.buckets.map((b) => b.attempts > 0).lastIndexOf(true);
    const b = hist.buckets[idx]!;
    const pos = await ratioChart.evaluate((el, x) => {
      const u = (el as HTMLElement & { uplot: { valToPos: (v: number, s: string) => number; over: HTMLElement } }).uplot;
      const r = u.over.getBoundingClientRect();
      return { x: r.left + u.valToPos(x, 'x'), y: r.top + r.height / 2 };
    }, b.t / 1000);
    await page.mouse.move(pos.x, pos.y);
    const readout = page.getByTestId('readout');
    await expect.poll(() => readout.locator('[data-k="attempts"]').textContent()).toBe(String(b.attempts));
    expect(await readout.locator('[data-k="successes"]').textContent()).toBe(String(b.successes));
    expect(await readout.locator('[data-k="ratio"]').textContent()).toBe(b.ratio === 1 ? '100 %' : `${(b.ratio! * 100).toFixed(2)} %`);
    expect(await readout.locator('[data-k="t"]').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+0[12]:00$/); // Europe/Berlin
    expect(await ratioChart.locator('.u-legend .u-series').first().locator('.u-value').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+0[12]:00$/);

    // summary: all probes of the open port succeed
    expect(await page.getByTestId('uptime').textContent()).toBe('100 %');
    await expect.poll(() => page.getByTestId('outages').textContent()).toBe('0');

    // the raw log: newest first, scheduled slot and send time (when the SYN left) with ms precision
    const times = await page.locator('table.log tbody tr td:first-child').allTextContents();
    expect(times.length).toBeGreaterThan(0);
    expect(times[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    expect([...times].sort().reverse()).toEqual(times);
    const started = await page.locator('table.log tbody tr td:nth-child(2)').allTextContents();
    expect(started.every((t, i) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/.test(t) && t >= times[i]!)).toBe(true);
    expect(await page.locator('table.log tbody tr[data-outcome="success"]').count()).toBe(times.length);

    // group-by changes the requested step
    const req = page.waitForRequest((r) => r.url().includes('/history') && new URL(r.url()).searchParams.get('step') === '20');
    await page.getByLabel('Group by').selectOption('20s');
    await req;
    await expect.poll(() => page.getByTestId('step').textContent()).toBe('20s');
    const n20 = Number(await ratioChart.getAttribute('data-points'));
    expect(n20).toBeGreaterThanOrEqual(180);
    expect(n20).toBeLessThanOrEqual(182);

    // drag-select on a chart zooms: narrower from/to, and auto picks a finer step
    await page.getByLabel('Group by').selectOption('auto');
    await expect.poll(() => page.getByTestId('step').textContent()).toBe('10s');
    const box = (await ratioChart.locator('.u-over').boundingBox())!;
    const zoomReq = page.waitForRequest((r) => r.url().includes('/history') && r.url().includes('step=auto'));
    await page.mouse.move(box.x + box.width - 60, box.y + box.height / 2);
    await page.mouse.down();
    // past the right edge: the selection is clamped to the end of the range, where the data is
    await page.mouse.move(box.x + box.width + 30, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = new URL((await zoomReq).url()).searchParams;
    expect(Number(zoomed.get('to')) - Number(zoomed.get('from'))).toBeLessThan(10 * 60_000);
    await expect.poll(() => page.getByTestId('step').textContent()).toBe('1s');
    expect(await page.locator('.presets [aria-pressed="true"]').count()).toBe(0);
    const zoomedUrl = new URL(page.url()).searchParams;
    expect([zoomedUrl.get('range'), zoomedUrl.get('from'), zoomedUrl.get('to'), zoomedUrl.get('step')]).toEqual([null, zoomed.get('from'), zoomed.get('to'), 'auto']);
    await expect.poll(() => ratioChart.getAttribute('data-present')).not.toBe('0');

    // zoom again onto the probes themselves (for the screenshot) and hover the newest one
    const xs = await ratioChart.evaluate((el) => {
      const u = (el as HTMLElement & { uplot: { data: (number | null)[][]; valToPos: (v: number, s: string) => number; over: HTMLElement } }).uplot;
      const r = u.over.getBoundingClientRect();
      const present = u.data[0]!.filter((_, i) => u.data[1]![i] != null);
      return { first: r.left + u.valToPos(present[0]! - 5, 'x'), last: r.left + u.valToPos(present[present.length - 1]!, 'x'), right: r.right, y: r.top + r.height / 2 };
    });
    const zoom2 = page.waitForResponse((r) => r.url().includes('/history'));
    await page.mouse.move(Math.max(box.x + 1, xs.first), xs.y);
    await page.mouse.down();
    await page.mouse.move(xs.right + 30, xs.y, { steps: 5 });
    await page.mouse.up();
    const h2 = { buckets: bucketsFromColumns((await (await zoom2).json()) as HistoryColumns) };
    await expect.poll(() => ratioChart.getAttribute('data-points')).toBe(String(h2.buckets.length));
    const lastT = h2.buckets.filter((b) => b.attempts > 0).pop()!.t / 1000;
    const hx = await ratioChart.evaluate((el, x) => {
      const u = (el as HTMLElement & { uplot: { valToPos: (v: number, s: string) => number; over: HTMLElement } }).uplot;
      return u.over.getBoundingClientRect().left + u.valToPos(x, 'x');
    }, lastT);
    await page.mouse.move(hx, xs.y);
    await expect.poll(() => readout.locator('[data-k="attempts"]').textContent()).not.toBe('0');
    const path = await shot('history');
    if (opts.publishScreenshots) publish(path, 'history.png');
  });
}
