/**
 * History aggregation on every store: bucket edges, empty buckets as gaps, ratios, automatic
 * steps, the 5,000-bucket limit, and rollups that answer exactly as raw rows do (random data).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import { alignWindow, autoStep } from '../src/domain/history-steps.js';
import { FAILURE_OUTCOMES, type HistoryBucket, type ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { fillBuckets, historyBuckets, sourceFor } from '../src/store/history.js';
import { rebuildRollups, storeBatch } from '../src/store/rollups.js';
import { createTarget } from '../src/store/targets.js';
import { STORES } from './helpers/stores.js';
import { testApp } from './helpers/app.js';
import { hashPassword } from '../src/auth/password.js';
import { createUser } from '../src/store/users.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0); // a whole day, hour and minute
const result = (targetId: number, startedAt: number, outcome: ProbeResult['outcome'], connectMs: number | null = null): ProbeResult => ({
  targetId,
  startedAt,
  outcome,
  connectMs: outcome === 'success' ? (connectMs ?? 1.5) : null,
  dnsMs: null,
  address: '127.0.0.1',
  localPort: 40000,
  errorCode: outcome === 'success' ? null : 'E',
});
const target = (db: Db, name: string) => createTarget(db, { name, host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year' }, T0);

describe('step arithmetic', () => {
  it('aligns windows outward to multiples of the step since the epoch', () => {
    expect(alignWindow(T0 + 1500, T0 + 4500, 1)).toEqual({ from: T0 + 1000, to: T0 + 5000, stepSeconds: 1, count: 4 });
    expect(alignWindow(T0 + 10_000, T0 + 70_000, 60)).toEqual({ from: T0, to: T0 + 120_000, stepSeconds: 60, count: 2 });
  });
  it.each([
    [15 * 60_000, 1],
    [3_600_000, 10],
    [24 * 3_600_000, 300],
    [7 * 86_400_000, 1800],
    [30 * 86_400_000, 3600],
    [365 * 86_400_000, 86_400],
  ])('auto step for a %i ms range is %i s (≤ 1,000 buckets)', (range, step) => {
    expect(autoStep(T0, T0 + range)).toBe(step);
    expect(alignWindow(T0, T0 + range, step).count).toBeLessThanOrEqual(1000);
  });
  it('reads raw rows under 60 s, then the coarsest rollup whose bucket divides the step', () => {
    expect([1, 10, 30, 90, 60, 120, 300, 1800, 3600, 21600, 86400].map(sourceFor)).toEqual([
      'results',
      'results',
      'results',
      'results',
      'results_1m',
      'results_1m',
      'results_5m',
      'results_5m',
      'results_1h',
      'results_1h',
      'results_1h',
    ]);
  });
});

describe.each(STORES)('history on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await store.open()));
  afterAll(async () => cleanup());

  it('puts a result at a bucket edge into the bucket that starts there; empty buckets are gaps', async () => {
    const t = await target(db, 'edges');
    await storeBatch(db, [result(t.id, T0 + 9_999, 'refused'), result(t.id, T0 + 10_000, 'success', 2), result(t.id, T0 + 19_999, 'timeout'), result(t.id, T0 + 30_000, 'success', 4)]);
    const w = alignWindow(T0, T0 + 40_000, 10);
    const b = fillBuckets(w, await historyBuckets(db, t.id, w));
    expect(b.map((x) => [x.t - T0, x.attempts, x.successes, x.ratio])).toEqual([
      [0, 1, 0, 0],
      [10_000, 2, 1, 0.5],
      [20_000, 0, 0, null],
      [30_000, 1, 1, 1],
    ]);
    expect(b[0]!.outcomes).toEqual({ refused: 1 });
    expect(b[1]!.outcomes).toEqual({ timeout: 1 });
    expect(b[1]!.connectMs).toEqual({ min: 2, avg: 2, max: 2 });
    expect(b[2]!.connectMs).toEqual({ min: null, avg: null, max: null });
  });

  it('rollups answer exactly as raw rows, across batches and bucket edges, and rebuild exactly', async () => {
    const t = await target(db, 'random');
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rows: ProbeResult[] = [];
    for (let i = 0; i < 3000; i++) {
      const edge = rand() < 0.2;
      const at = edge ? T0 + Math.floor(rand() * 50) * 3_600_000 - (rand() < 0.5 ? 1 : 0) : T0 + Math.floor(rand() * 2 * 86_400_000);
      const outcome = rand() < 0.7 ? 'success' : FAILURE_OUTCOMES[Math.floor(rand() * FAILURE_OUTCOMES.length)]!;
      rows.push(result(t.id, at, outcome, Math.round(rand() * 100_000) / 1000));
    }
    for (let i = 0; i < rows.length; i += 700) await storeBatch(db, rows.slice(i, i + 700));
    const compare = async () => {
      for (const step of [60, 300, 3600, 21_600, 86_400]) {
        const w = alignWindow(T0 - 3_600_000, T0 + 3 * 86_400_000, step);
        const raw = await historyBuckets(db, t.id, w, 'results');
        const rolled = await historyBuckets(db, t.id, w);
        expect(rolled.length).toBe(raw.length);
        rolled.forEach((b: HistoryBucket, i) => {
          const r = raw[i]!;
          expect({ ...b, connectMs: null }).toEqual({ ...r, connectMs: null });
          expect(b.connectMs.min).toBe(r.connectMs.min);
          expect(b.connectMs.max).toBe(r.connectMs.max);
          if (r.connectMs.avg === null) expect(b.connectMs.avg).toBeNull();
          else expect(b.connectMs.avg).toBeCloseTo(r.connectMs.avg, 9);
        });
        expect(raw.reduce((n, b) => n + b.attempts, 0)).toBe(3000);
      }
    };
    await compare();
    await db.run(SQL`DELETE FROM results_1m`);
    await db.run(SQL`DELETE FROM results_5m`);
    await db.run(SQL`DELETE FROM results_1h`);
    await rebuildRollups(db);
    await compare();
  });

  it('local_error attempts are not measured: gaps in ratio (raw and rolled up), sparklines and ratio24h, never failures', async () => {
    const t = await target(db, 'local errors');
    const now = Date.now();
    const minute = now - (now % 60_000);
    // minute m-2: 2 successes and 2 local errors → ratio 1; m-1: only local errors → a gap; m: 1 of 2 measured fail
    await storeBatch(db, [
      result(t.id, minute - 120_000 + 1000, 'success', 2),
      result(t.id, minute - 120_000 + 2000, 'local_error'),
      result(t.id, minute - 120_000 + 3000, 'local_error'),
      result(t.id, minute - 120_000 + 4000, 'success', 2),
      result(t.id, minute - 60_000 + 1000, 'local_error'),
      result(t.id, minute - 60_000 + 2000, 'local_error'),
      result(t.id, minute + 1, 'success', 2),
      result(t.id, minute + 2, 'refused'),
      result(t.id, minute + 3, 'local_error'),
    ]);
    const w = alignWindow(minute - 120_000, minute + 60_000, 60);
    for (const source of ['results', 'results_1m'] as const) {
      const b = fillBuckets(w, await historyBuckets(db, t.id, w, source));
      expect(b.map((x) => [x.attempts, x.successes, x.ratio, x.outcomes])).toEqual([
        [4, 2, 1, { local_error: 2 }],
        [2, 0, null, { local_error: 2 }],
        [3, 1, 0.5, { refused: 1, local_error: 1 }],
      ]);
    }
    const { client } = await testApp(db, { setupToken: null });
    await createUser(db, 'local errors', await hashPassword('correct horse'), now);
    const c = client();
    await c.login('local errors', 'correct horse');
    const spark = await c.req('GET', `/api/sparklines?ids=${t.id}&minutes=3`);
    expect(spark.json.series[String(t.id)]).toEqual([1, null, 0.5]);
    const list = await c.req('GET', `/api/targets?q=${encodeURIComponent('local errors')}`);
    expect(list.json.targets.find((x: { id: number }) => x.id === t.id).ratio24h).toBeCloseTo(3 / 4, 9);
    const only = await target(db, 'only local errors');
    await storeBatch(db, [result(only.id, now - 1000, 'local_error')]);
    const list2 = await c.req('GET', `/api/targets?q=${encodeURIComponent('only local errors')}`);
    expect(list2.json.targets.find((x: { id: number }) => x.id === only.id).ratio24h).toBeNull();
  });

  it('the API fills every bucket, picks auto steps, and refuses more than 5,000 buckets with a 400', async () => {
    const t = await target(db, 'api');
    await storeBatch(db, [result(t.id, T0 + 500, 'success', 3), result(t.id, T0 + 61_000, 'reset')]);
    const { client } = await testApp(db);
    const c = client();
    await c.login('admin', 'correct horse');
    const r = await c.req('GET', `/api/targets/${t.id}/history?from=${T0}&to=${T0 + 180_000}&step=60`);
    expect(r.status).toBe(200);
    expect(r.json.step).toBe(60);
    expect(r.json.buckets.map((b: HistoryBucket) => [b.t - T0, b.attempts, b.ratio, b.outcomes])).toEqual([
      [0, 1, 1, {}],
      [60_000, 1, 0, { reset: 1 }],
      [120_000, 0, null, {}],
    ]);
    const auto = await c.req('GET', `/api/targets/${t.id}/history?from=${T0}&to=${T0 + 86_400_000}&step=auto`);
    expect(auto.json.step).toBe(300);
    expect(auto.json.buckets).toHaveLength(288);
    const tooMany = await c.req('GET', `/api/targets/${t.id}/history?from=${T0}&to=${T0 + 86_400_000}&step=10`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.fields.step).toMatch(/8,640 buckets/);
    const backwards = await c.req('GET', `/api/targets/${t.id}/history?from=${T0 + 1000}&to=${T0}`);
    expect(backwards.status).toBe(400);
    expect(backwards.json.fields.from).toBeTruthy();
    expect((await c.req('GET', `/api/targets/${t.id}/history?step=0`)).status).toBe(400);
    const epoch = await c.req('GET', `/api/targets/${t.id}/history?to=0`);
    expect(epoch.status).toBe(400);
    expect(epoch.json.fields.to).toBeTruthy();
    const tooLong = await c.req('GET', `/api/targets/${t.id}/history?from=0&to=${T0}&step=auto`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.fields.from).toMatch(/too long/);
    expect((await c.req('GET', `/api/targets/${t.id}/history?from=yesterday`)).status).toBe(400);
    expect((await c.req('GET', `/api/targets/999999/history`)).status).toBe(404);
    const spark = await c.req('GET', `/api/sparklines?ids=${t.id}&minutes=5`);
    expect(spark.status).toBe(200);
    expect(spark.json.series[String(t.id)]).toHaveLength(5);
  });
});
