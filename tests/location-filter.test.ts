/**
 * The `location` filter (issue 10) on every results and history endpoint, on both stores: the
 * object and columnar history, the probe log, raw mode (`format=columns`, which once ignored it),
 * the CSV, compare and the wall each count only what that location probed, the same way; no
 * location counts every location; a malformed one is a 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../src/domain/types.js';
import { storeBatch } from '../src/store/rollups.js';
import { createTarget } from '../src/store/targets.js';
import { testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

describe.each(STORES)('location filter on every results endpoint ($name)', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let id = 0;
  // 3 probes from a (2 successes), 2 from b (refused), in the same minute of the last hour
  const now = Date.now();
  const base = now - (now % 60_000) - 20 * 60_000;
  const want = { a: { attempts: 3, successes: 2 }, b: { attempts: 2, successes: 0 }, all: { attempts: 5, successes: 2 } };
  const from = base - 60_000;
  const to = base + 120_000;

  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db);
    id = (await createTarget(s.db, { name: 'ab', host: '127.0.0.1', port: 9, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day', locations: ['a', 'b'] }, now)).id;
    const r = (location: string, k: number, outcome: 'success' | 'refused'): ProbeResult => ({
      targetId: id,
      startedAt: base + k * 1000,
      outcome,
      connectMs: outcome === 'success' ? 2 : null,
      dnsMs: null,
      address: '127.0.0.1',
      localPort: 40000 + k,
      errorCode: outcome === 'success' ? null : 'ECONNREFUSED',
      scheduledAt: base + k * 1000,
      location,
      node: `${location}1`,
    });
    // as the writer stores them: raw rows and rollups
    await storeBatch(s.db, [r('a', 0, 'success'), r('b', 0, 'refused'), r('a', 1, 'success'), r('b', 1, 'refused'), r('a', 2, 'refused')]);
  });
  afterAll(() => s.cleanup());

  for (const loc of ['a', 'b', 'all'] as const) {
    it(`location ${loc === 'all' ? 'absent: every location counts' : `${loc}: only ${loc}'s probes count`}`, async () => {
      const c = app.client();
      await c.login('admin', 'correct horse');
      const q = `from=${from}&to=${to}${loc === 'all' ? '' : `&location=${loc}`}`;
      const { attempts, successes } = want[loc];
      const sum = (xs: (number | null)[]) => xs.reduce<number>((n, x) => n + (x ?? 0), 0);

      const log = await c.req('GET', `/api/targets/${id}/results?${q}`);
      expect(log.json.results).toHaveLength(attempts);
      const raw = await c.req('GET', `/api/targets/${id}/results?${q}&format=columns`);
      expect(raw.json.t).toHaveLength(attempts);
      expect(raw.json.outcome.filter((o: string) => o === 'success')).toHaveLength(successes);
      const hist = await c.req('GET', `/api/targets/${id}/history?${q}&step=60`);
      expect(sum(hist.json.buckets.map((b: { attempts: number }) => b.attempts))).toBe(attempts);
      const cols = await c.req('GET', `/api/targets/${id}/history?${q}&step=60&format=columns`);
      expect(sum(cols.json.attempts)).toBe(attempts);
      expect(sum(cols.json.successes)).toBe(successes);
      const csv = await c.req('GET', `/api/targets/${id}/results.csv?${q}`);
      expect(csv.status).toBe(200);
      expect((csv.json as string).trim().split('\r\n')).toHaveLength(1 + attempts);
      const cmp = await c.req('GET', `/api/charts/compare?ids=${id}&${q}&step=60`);
      expect(sum(cmp.json.targets[0].attempts)).toBe(attempts);
      expect(sum(cmp.json.targets[0].successes)).toBe(successes);
      const wall = await c.req('GET', `/api/charts/wall?range=1h${loc === 'all' ? '' : `&location=${loc}`}`);
      expect(sum(wall.json.attempts)).toBe(attempts);
      expect(sum(wall.json.successes)).toBe(successes);
      if (loc !== 'all') {
        const dash = await c.req('GET', `/api/targets?location=${loc}`);
        expect(dash.json.targets.find((t: { id: number }) => t.id === id).lastResult).toMatchObject({ location: loc, node: `${loc}1` });
      }
    });
  }

  it('a malformed location is a 400 naming it on every endpoint; the wall takes a location only over 1 h', async () => {
    const c = app.client();
    await c.login('admin', 'correct horse');
    for (const path of [
      `/api/targets/${id}/results?location=a%2Fb`,
      `/api/targets/${id}/results?format=columns&location=a%2Fb`,
      `/api/targets/${id}/history?location=a%2Fb`,
      `/api/targets/${id}/results.csv?location=a%2Fb`,
      `/api/charts/compare?ids=${id}&location=a%2Fb`,
      '/api/charts/wall?range=1h&location=a%2Fb',
    ]) {
      const res = await c.req('GET', path);
      expect(res.status, path).toBe(400);
      expect(Object.keys(res.json.fields), path).toEqual(['location']);
    }
    const wide = await c.req('GET', '/api/charts/wall?range=24h&location=a');
    expect(wide.status).toBe(400);
    expect(Object.keys(wide.json.fields)).toEqual(['range']);
  });
});
