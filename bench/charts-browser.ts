/**
 * Browser timings of the high-density charts (issue 13) in Chromium against the built server
 * (`npm run build` first): `npx tsx bench/charts-browser.ts [--out file.json]`.
 *   - history 24 h at 1 s (86,400 buckets): response end → the three charts drawn;
 *   - raw mode 24 h (86,400 probes): response end → both raw charts drawn;
 *   - hover: 30 mouse moves across the drawn history charts, ms per move until the readout changed;
 *   - wall 1,000 targets × 24 h at 5 min: navigation start → first paint of the cells (the first
 *     100 targets' request), that response's end → first paint, navigation start → all cells;
 *     the compressed size of both responses.
 * Data (SQLite, generated in the database as in bench/charts.ts): one target at 1 s for 24 h, 999
 * with a 1-minute rollup row per minute.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrate } from '../src/store/migrate.js';
import { openSqlite } from '../src/store/sqlite.js';
import { rebuildRollups } from '../src/store/rollups.js';
import { createTarget } from '../src/store/targets.js';
import { launchBrowser, startServer } from '../tests/e2e/harness.js';
import { minuteRollups, raw } from './charts.js';

const { values: args } = parseArgs({ options: { out: { type: 'string' } } });
const r1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-bench-browser-'));
const db = openSqlite(join(dataDir, 'netwatch.db'));
await migrate(db);
const now = Date.now();
const end = now - (now % 300_000);
const from = end - 86_400_000;
const ids: number[] = [];
for (let i = 0; i < 1000; i++)
  ids.push(
    (
      await createTarget(
        db,
        { name: `wall-${String(i).padStart(4, '0')}`, host: '127.0.0.2', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year', enabled: false },
        now,
      )
    ).id,
  );
await raw(db, ids[0]!, from, 86_400, 1000);
await rebuildRollups(db);
await minuteRollups(db, ids.slice(1), from, 1440);
await db.close();

const server = await startServer({ NETWATCH_DATA_DIR: dataDir, ROOT_USER: 'admin', ROOT_PASSWORD: 'bench charts browser' });
const browser = await launchBrowser();
const out: Record<string, unknown> = {};
try {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1400, height: 900 } });
  // records when an element first gets an attribute (performance.now(), ms since navigation start)
  await context.addInitScript(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { __seen: Record<string, number> }).__seen = seen;
    new MutationObserver((muts) => {
      for (const m of muts) {
        const el = m.target as HTMLElement;
        const key = `${el.dataset.chart ?? el.dataset.testid ?? ''}:${m.attributeName}`;
        if (!(key in seen)) seen[key] = performance.now();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-points', 'data-cells'] });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto('/login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('bench charts browser');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  const responseEnd = (part: string, first = false) =>
    page.evaluate(
      ([p, f]) => {
        const ends = performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes(p as string))
          .map((e) => (e as PerformanceResourceTiming).responseEnd);
        return (f ? ends[0] : ends.pop()) ?? NaN;
      },
      [part, first] as const,
    );
  const seen = (key: string) => page.evaluate((k) => (window as unknown as { __seen: Record<string, number> }).__seen[k] ?? NaN, key);

  const history: number[] = [];
  const rawDraw: number[] = [];
  const hover: number[] = [];
  for (let run = 0; run < 3; run++) {
    await page.goto(`/targets/${ids[0]}/history?from=${from}&to=${end}&step=1`);
    await page.locator('[data-chart="outcomes"][data-points="86400"]').waitFor();
    history.push((await seen('outcomes:data-points')) - (await responseEnd('/history?')));
    // hover: moves across the ratio chart, each until the readout shows a new bucket
    const box = (await page.locator('[data-chart="ratio"] .u-over').boundingBox())!;
    const times: number[] = [];
    for (let k = 0; k < 30; k++) {
      const t0 = performance.now();
      await page.mouse.move(box.x + 5 + (k * (box.width - 10)) / 29, box.y + box.height / 2);
      times.push(performance.now() - t0);
    }
    hover.push(median(times));
    await page.getByTestId('raw-toggle').check();
    await page.locator('[data-chart="raw-lane"][data-failures]').waitFor();
    rawDraw.push((await seen('raw-connect:data-points')) - (await responseEnd('/results?')));
  }
  out.historyDrawMs = { median: r1(median(history)), runs: history.map(r1), goal: '< 300 ms after the response' };
  out.rawDrawMs = { median: r1(median(rawDraw)), runs: rawDraw.map(r1) };
  out.hoverMovePerMs = { median: r1(median(hover)), note: 'page.mouse.move round trip incl. the readout update' };

  const wallFirst: number[] = [];
  const wallAfter: number[] = [];
  const wallAll: number[] = [];
  let firstBytes = 0;
  let restBytes = 0;
  for (let run = 0; run < 3; run++) {
    // the page reads the first 100 targets, paints them, then reads the rest (`offset=100`)
    const resp = page.waitForResponse((r) => r.url().includes('/api/charts/wall') && !r.url().includes('offset='));
    const restResp = page.waitForResponse((r) => r.url().includes('/api/charts/wall') && r.url().includes('offset='));
    await page.goto('/wall?range=24h');
    firstBytes = Number((await (await resp).request().sizes()).responseBodySize);
    restBytes = Number((await (await restResp).request().sizes()).responseBodySize);
    await page.locator('[data-testid="wall-canvas"][data-cells="288000"]').waitFor();
    wallAll.push(await page.evaluate(() => performance.now()));
    const painted = await seen('wall-canvas:data-cells');
    wallFirst.push(painted);
    wallAfter.push(painted - (await responseEnd('/api/charts/wall', true)));
  }
  out.wallFirstPaintMs = { median: r1(median(wallFirst)), runs: wallFirst.map(r1), goal: '< 1 s (navigation start → cells painted)' };
  out.wallPaintAfterResponseMs = { median: r1(median(wallAfter)), runs: wallAfter.map(r1), note: 'after the first (100-target) response' };
  out.wallAllCellsMs = { median: r1(median(wallAll)), runs: wallAll.map(r1), note: 'navigation start → all 288,000 cells drawn (seen by polling: an upper bound)' };
  out.wallResponseBytes = firstBytes + restBytes;
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(out, null, 2));
if (args.out) writeFileSync(args.out, JSON.stringify(out, null, 2) + '\n');
