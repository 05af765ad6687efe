/**
 * Retention: cut-off arithmetic per unit, the purge on every store at the boundary, and history
 * after a purge: rollups answer exactly as the raw rows that remain (issue 7 part 5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import { purgeHistory } from '../src/actors/purge.js';
import { retentionCutoff } from '../src/domain/retention.js';
import { alignWindow } from '../src/domain/history-steps.js';
import type { HistoryBucket, Outcome, ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { historyBuckets } from '../src/store/history.js';
import { storeBatch } from '../src/store/rollups.js';
import { createTarget, deleteTarget } from '../src/store/targets.js';
import { RETENTION_UNITS } from '../src/domain/target-rules.js';
import { STORES } from './helpers/stores.js';

const NOW = Date.UTC(2026, 2, 31, 12, 0, 0); // 31 March: month arithmetic has to clamp
const expected: Record<string, number> = {
  minute: NOW - 2 * 60_000,
  hour: NOW - 2 * 3_600_000,
  day: NOW - 2 * 86_400_000,
  week: NOW - 14 * 86_400_000,
  month: Date.UTC(2026, 0, 31, 12),
  quarter: Date.UTC(2025, 9, 1, 12), // 31 September does not exist: 1 October
  year: Date.UTC(2024, 2, 31, 12),
};

describe('retention cut-off', () => {
  it.each(RETENTION_UNITS.map((u) => [u]))('2 × %s', (unit) => {
    expect(new Date(retentionCutoff(NOW, 2, unit)).toISOString()).toBe(new Date(expected[unit]!).toISOString());
  });
});

const row = (targetId: number, startedAt: number): ProbeResult => ({
  targetId,
  startedAt,
  outcome: 'success',
  connectMs: 1,
  dnsMs: null,
  address: '127.0.0.1',
  localPort: 1,
  errorCode: null,
});
const count = async (db: Db, table: string, id: number) => Number((await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM `.append(table).append(SQL` WHERE target_id = ${id}`)))!.n);

describe.each(STORES)('purge on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await store.open()));
  afterAll(async () => cleanup());

  it.each(RETENTION_UNITS.map((u) => [u]))('keeps results at the %s cut-off and deletes the ones before it', async (unit) => {
    const t = await createTarget(db, { name: unit, host: '127.0.0.1', port: 9, intervalSeconds: 60, timeoutMs: null, retentionValue: 2, retentionUnit: unit }, NOW);
    const cutoff = retentionCutoff(NOW, 2, unit);
    await storeBatch(db, [row(t.id, cutoff - 3_600_000 * 24 * 3), row(t.id, cutoff - 1), row(t.id, cutoff), row(t.id, cutoff + 1), row(t.id, NOW - 1)]);
    await purgeHistory(db, NOW);
    const left = await db.all<{ started_at: number }>(SQL`SELECT started_at FROM results WHERE target_id = ${t.id} ORDER BY started_at`);
    expect(left.map((r) => Number(r.started_at))).toEqual([cutoff, cutoff + 1, NOW - 1]);
    const buckets = await db.all<{ bucket: number }>(SQL`SELECT bucket FROM results_1m WHERE target_id = ${t.id}`);
    expect(buckets.every((b) => Number(b.bucket) + 60_000 > cutoff)).toBe(true);
    expect(buckets.length).toBeGreaterThan(0);
  });

  it('deletes every result of a deleted target, in chunks', async () => {
    const t = await createTarget(db, { name: 'gone', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year' }, NOW);
    const rows = Array.from({ length: 12_000 }, (_, i) => row(t.id, NOW - i * 1000));
    for (let i = 0; i < rows.length; i += 1000) await storeBatch(db, rows.slice(i, i + 1000));
    await deleteTarget(db, t.id);
    expect(await purgeHistory(db, NOW)).toBeGreaterThanOrEqual(12_000);
    expect(await count(db, 'results', t.id)).toBe(0);
    expect(await count(db, 'results_1m', t.id)).toBe(0);
    expect(await count(db, 'results_1h', t.id)).toBe(0);
  });

  // not on a whole hour or minute, so every cut-off falls inside an hour and a minute bucket
  const LATER = Date.UTC(2026, 2, 31, 12, 34, 56, 789);
  it.each(RETENTION_UNITS.map((u) => [u]))('after a %s purge, every history answer equals the remaining raw rows', async (unit) => {
    const t = await createTarget(db, { name: `exact ${unit}`, host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 3, retentionUnit: unit }, LATER);
    const cutoff = retentionCutoff(LATER, 3, unit);
    const at = (targetId: number, startedAt: number, outcome: Outcome, connectMs: number | null): ProbeResult => ({
      targetId,
      startedAt,
      outcome,
      connectMs,
      dnsMs: null,
      address: '127.0.0.1',
      localPort: 1,
      errorCode: outcome === 'success' ? null : 'E',
    });
    // both sides of the cut-off inside one minute and one hour; the fastest and slowest connects go
    const rows = [
      at(t.id, cutoff - 40 * 60_000, 'refused', null),
      at(t.id, cutoff - 30_000, 'success', 0.125),
      at(t.id, cutoff - 1, 'success', 99.5),
      at(t.id, cutoff - 1, 'timeout', null),
      at(t.id, cutoff, 'success', 5.25),
      at(t.id, cutoff + 1, 'refused', null),
      at(t.id, cutoff + 20_000, 'success', 7.001),
      at(t.id, cutoff + 30 * 60_000, 'success', 3.5),
    ];
    await storeBatch(db, rows.slice(0, 5));
    await storeBatch(db, rows.slice(5)); // two batches: rollup rows built by increments
    await purgeHistory(db, LATER);

    const left = await db.all<{ started_at: number }>(SQL`SELECT started_at FROM results WHERE target_id = ${t.id} ORDER BY started_at`);
    expect(left.map((r) => Number(r.started_at) - cutoff)).toEqual([0, 1, 20_000, 30 * 60_000]);
    const hour = cutoff - (cutoff % 3_600_000);
    const bucket = await db.get<{ attempts: number }>(SQL`SELECT attempts FROM results_1h WHERE target_id = ${t.id} AND bucket = ${hour}`);
    const rawInHour = left.filter((r) => Number(r.started_at) < hour + 3_600_000).length;
    expect(Number(bucket!.attempts)).toBe(rawInHour);
    for (const step of [60, 300, 1800, 3600, 21_600, 86_400]) {
      const w = alignWindow(cutoff - 2 * 86_400_000, cutoff + 2 * 86_400_000, step);
      const raw = await historyBuckets(db, t.id, w, 'results');
      const rolled = await historyBuckets(db, t.id, w);
      expect(rolled.map((b: HistoryBucket) => ({ ...b, connectMs: { ...b.connectMs, avg: null } }))).toEqual(raw.map((b) => ({ ...b, connectMs: { ...b.connectMs, avg: null } })));
      rolled.forEach((b, i) => {
        if (raw[i]!.connectMs.avg === null) expect(b.connectMs.avg).toBeNull();
        else expect(b.connectMs.avg).toBeCloseTo(raw[i]!.connectMs.avg!, 9);
      });
      expect(raw.reduce((n, b) => n + b.attempts, 0)).toBe(4);
    }
  });

  it('runs nothing that locks for a target with nothing expired (a gap lock there stalls the writer; issue 10)', async () => {
    const fresh = await createTarget(db, { name: 'fresh', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' }, NOW);
    const empty = await createTarget(db, { name: 'empty', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' }, NOW);
    await storeBatch(db, [row(fresh.id, NOW - 1000), row(fresh.id, NOW - 10)]);
    const seen: { sql: string; id: unknown }[] = [];
    const spy = (d: Db): Db =>
      new Proxy(d, {
        get(target, key, recv) {
          const v = Reflect.get(target, key, recv);
          if (key === 'tx') return <T>(fn: (tx: Db) => Promise<T>) => target.tx((tx) => fn(spy(tx)));
          if (['run', 'get', 'all'].includes(String(key))) return (q: { sql: string; values: unknown[] }) => (seen.push({ sql: q.sql, id: q.values[0] }), v.call(target, q));
          if (key === 'deleteResultsChunk') return (id: number, ...rest: number[]) => (seen.push({ sql: 'DELETE (chunk)', id }), v.call(target, id, ...rest));
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    await purgeHistory(spy(db), NOW);
    // other tests' targets may have expired rows; these two have none: no locking statement names them
    const locking = seen.filter((q) => /DELETE|FOR UPDATE/i.test(q.sql) && (q.id === fresh.id || q.id === empty.id));
    expect(locking).toEqual([]);
    expect(seen.some((q) => q.id === fresh.id)).toBe(true); // it did look at them
    expect(await count(db, 'results', fresh.id)).toBe(2);
  });

  it('stays exact while the writer keeps adding to the bucket the purge trims (no deadlock)', async () => {
    const t = await createTarget(db, { name: 'busy', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 2, retentionUnit: 'minute' }, LATER);
    const other = await createTarget(db, { name: 'busy 2', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year' }, LATER);
    let clock = LATER;
    let done = false;
    const writes = (async () => {
      for (let i = 0; i < 300; i++) {
        const batch: ProbeResult[] = [];
        for (let k = 0; k < 5; k++) {
          for (const id of [t.id, other.id]) batch.push({ ...row(id, clock + k * 100), connectMs: ((i * 7 + k) % 13) + 0.5 });
        }
        clock += 500;
        await storeBatch(db, batch);
      }
      done = true;
    })();
    const purges = (async () => {
      while (!done) await purgeHistory(db, clock);
    })();
    await Promise.all([writes, purges]);
    await purgeHistory(db, clock);
    const cutoff = retentionCutoff(clock, 2, 'minute');
    const w = alignWindow(cutoff - 3_600_000, clock + 3_600_000, 60);
    for (const step of [60, 3600]) {
      const win = alignWindow(w.from, w.to, step);
      const raw = await historyBuckets(db, t.id, win, 'results');
      const rolled = await historyBuckets(db, t.id, win);
      expect(rolled.map((b) => [b.t, b.attempts, b.successes, b.connectMs.min, b.connectMs.max])).toEqual(raw.map((b) => [b.t, b.attempts, b.successes, b.connectMs.min, b.connectMs.max]));
      expect(raw.reduce((n, b) => n + b.attempts, 0)).toBe(Number((await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM results WHERE target_id = ${t.id}`))!.n));
    }
  });

  it('gives the event loop a turn per target, so a purge of many targets never holds probes and HTTP', async () => {
    for (let i = 0; i < 20; i++) {
      const t = await createTarget(db, { name: `turns-${i}`, host: '127.0.0.1', port: 9, intervalSeconds: 60, timeoutMs: null, retentionValue: 1, retentionUnit: 'hour' }, NOW);
      await storeBatch(db, [row(t.id, NOW - 2 * 3_600_000), row(t.id, NOW - 1)]);
    }
    let turns = 0;
    const tick = () => {
      turns++;
      if (!finished) setImmediate(tick);
    };
    let finished = false;
    setImmediate(tick);
    await purgeHistory(db, NOW);
    finished = true;
    expect(turns).toBeGreaterThanOrEqual(20);
  });
});
