/**
 * Main-flow steps on the history page's view: the group-by checked in the browser, the view kept
 * in the URL (reload, shared links), a preset never widened by a coarse group-by, day buckets at
 * the browser's local midnight, one request per load, and the refused target's outages.
 */
import { expect, it } from 'vitest';
import { type FlowContext } from './flow-context.ts';

/** Declares these steps of the main flow (run in order, right after historySteps). */
export function historyViewSteps(ctx: FlowContext): void {
  it('checks the group-by in the browser, keeps the view in the URL and never widens the range', async () => {
    const { page } = ctx;
    const sent: URL[] = [];
    const track = (r: { url: () => string }) => {
      const u = new URL(r.url());
      if (/^\/api\/targets\/\d+\/history$/.test(u.pathname)) sent.push(u);
    };
    page.on('request', track);
    try {
      // 4w then 10s: 241,921 buckets is refused beside the group-by without asking the server,
      // and the old charts, summary and log go away so nothing contradicts the controls
      await page.getByRole('button', { name: '4w' }).click();
      await expect.poll(() => page.getByTestId('step').textContent()).toBe('1h');
      const before = sent.length;
      await page.getByLabel('Group by').selectOption('10s');
      await expect.poll(() => page.getByTestId('group-by-error').textContent()).toMatch(/^That is [\d,]+ buckets; at most 100,000 are allowed/);
      // one alert on the page itself (the app-wide health and stale-data banners may come and go on a loaded machine)
      expect(await page.locator('[role=alert]:not([data-testid=stale-banner]):not([data-testid=health-banner])').count()).toBe(1);
      expect(await page.getByTestId('summary').count()).toBe(0);
      expect(await page.locator('[data-chart]').count()).toBe(0);
      expect(await page.locator('table.log').count()).toBe(0);
      expect(await page.getByLabel('Group by').getAttribute('aria-invalid')).toBe('true');
      expect(new URL(page.url()).searchParams.get('step')).toBe('10');
      await page.waitForTimeout(300);
      expect(sent.slice(before)).toEqual([]);

      const dayResponse = page.waitForResponse((r) => r.url().includes('/history') && new URL(r.url()).searchParams.get('step') === '86400');
      await page.getByLabel('Group by').selectOption('1d');
      await expect.poll(() => page.getByTestId('step').textContent()).toBe('1d');
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(sent[sent.length - 1]!.searchParams.get('step')).toBe('86400');
      // the browser sends its zone, and day buckets start at its local midnight (Europe/Berlin)
      expect(sent[sent.length - 1]!.searchParams.get('tz')).toBe('Europe/Berlin');
      const dayCols = (await (await dayResponse).json()) as { tz: string; t: number[] };
      const day = { tz: dayCols.tz, buckets: dayCols.t.map((t) => ({ t })) };
      expect(day.tz).toBe('Europe/Berlin');
      const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      expect(new Set(day.buckets.map((b) => berlin.format(b.t)))).toEqual(new Set(['00:00']));
      // the x axis of a 4-week range shows dates
      const axis = await page.locator('[data-chart="ratio"]').evaluate((el) => (el as HTMLElement & { uplot: { axes: { _values: string[] }[] } }).uplot.axes[0]!._values);
      expect(axis.some((l) => /\d{4}-\d\d-\d\d/.test(l))).toBe(true);
      for (const label of axis) expect(label).not.toMatch(/am|pm|\//i);

      // reload restores the view from the URL, requesting it once
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ range: '4w', step: '86400' });
      const n = sent.length;
      await page.reload();
      await expect.poll(() => page.getByTestId('step').textContent()).toBe('1d');
      expect(await page.getByRole('button', { name: '4w' }).getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByLabel('Group by').inputValue()).toBe('1d');
      await page.waitForTimeout(300);
      expect(sent.slice(n).map((u) => u.searchParams.get('step'))).toEqual(['86400']);
      const r = sent[n]!.searchParams;
      expect(Number(r.get('to')) - Number(r.get('from'))).toBe(28 * 86_400_000);

      // 1h with group-by 1d would be one whole day: group-by goes back to auto, with a note
      await page.getByRole('button', { name: '1h' }).click();
      await expect.poll(() => page.getByTestId('group-by-note').textContent()).toMatch(/Group-by 1d gives fewer than 2 buckets.*reset to auto/);
      expect(await page.getByLabel('Group by').inputValue()).toBe('auto');
      await expect.poll(() => page.getByTestId('step').textContent()).toBe('10s');
      expect(Number(await page.getByTestId('buckets').textContent())).toBeGreaterThan(300);
      expect(await page.getByRole('button', { name: '1h' }).getAttribute('aria-pressed')).toBe('true');
      expect(sent[sent.length - 1]!.searchParams.get('step')).toBe('auto');
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ range: '1h', step: 'auto' });

      // a 400 the browser did not foresee also clears the charts and summary
      await page.route('**/api/targets/*/history?*', (route) =>
        route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'validation', message: 'Invalid query.', fields: { step: 'Server says no.' } }) }),
      );
      await page.getByLabel('Group by').selectOption('1m');
      await expect.poll(() => page.getByTestId('group-by-error').textContent()).toBe('Server says no.');
      expect(await page.getByTestId('summary').count()).toBe(0);
      expect(await page.locator('[data-chart]').count()).toBe(0);
      await page.unroute('**/api/targets/*/history?*');
      await page.getByLabel('Group by').selectOption('auto');
      await expect.poll(() => page.getByTestId('step').textContent()).toBe('10s');
      expect(await page.getByRole('alert').count()).toBe(0);
    } finally {
      page.off('request', track);
    }
  });

  it('shows outages for the refused target, loading history and log once', async () => {
    const { page, ids } = ctx;
    const counts = { history: 0, results: 0 };
    const count = (r: { url: () => string }) => {
      const p = new URL(r.url()).pathname;
      if (/^\/api\/targets\/\d+\/history$/.test(p)) counts.history++;
      if (/^\/api\/targets\/\d+\/results$/.test(p)) counts.results++;
    };
    page.on('request', count);
    await page.goto(`/targets/${ids.closed}/history`);
    await expect.poll(() => page.getByTestId('uptime').textContent()).toBe('0 %');
    // the outage record (issue 11): a target refused from the start is down after its 3rd failed probe
    await expect.poll(async () => Number(await page.getByTestId('outages').textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.locator('table.log tbody tr[data-outcome="refused"]').count()).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    page.off('request', count);
    expect(counts).toEqual({ history: 1, results: 1 });

    // a shared link with a custom range and step opens that view
    const to = Date.now();
    const from = to - 30 * 60_000;
    const req = page.waitForRequest((r) => /^\/api\/targets\/\d+\/history$/.test(new URL(r.url()).pathname));
    await page.goto(`/targets/${ids.closed}/history?from=${from}&to=${to}&step=60`);
    const sp = new URL((await req).url()).searchParams;
    expect([sp.get('from'), sp.get('to'), sp.get('step')]).toEqual([String(from), String(to), '60']);
    await expect.poll(() => page.getByTestId('step').textContent()).toBe('1m');
    expect(await page.getByLabel('Group by').inputValue()).toBe('1m');
    expect(await page.locator('.presets [aria-pressed="true"]').count()).toBe(0);
  });
}
