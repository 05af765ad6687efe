/**
 * The actors on a real store with real loopback peers: wall-clock aligned schedule without drift or
 * overlap, edits applied without restart, disable/delete stopping within one interval and
 * surviving a restart, and the writer keeping results through a failing database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { startActors, type Actors } from '../src/actors/system.js';
import { nextSlot, phaseMs } from '../src/actors/schedule.js';
import type { Db } from '../src/store/db.js';
import { createTarget, updateTarget, deleteTarget, getTarget } from '../src/store/targets.js';
import { listResults } from '../src/store/results.js';
import type { ProbeResult, Target } from '../src/domain/types.js';
import { STORES } from './helpers/stores.js';
import { blackhole, closedPort, listener } from './helpers/net.js';
import { waitFor } from './helpers/wait.js';
import { TIMER_SLACK_MS } from './helpers/timing.js';

const log = pino({ level: 'silent' });
const fast = { writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 }, reconcileEveryMs: 60_000, purgeEveryMs: 3_600_000 };
const base = { retentionValue: 1, retentionUnit: 'day' as const, timeoutMs: null };
const results = (db: Db, id: number) => listResults(db, id, { from: 0, to: Date.now() + 10_000, limit: 1000 }).then((r) => r.reverse());
const edit = (t: Target, change: Partial<Target>) => ({ ...base, name: t.name, host: t.host, port: t.port, intervalSeconds: t.intervalSeconds, timeoutMs: t.timeoutMs, enabled: t.enabled, ...change });

describe('schedule arithmetic', () => {
  it('phase is stable, within the interval, and spreads consecutive ids', () => {
    expect(phaseMs(42, 1000)).toBe(phaseMs(42, 1000));
    const phases = new Set<number>();
    for (let id = 1; id <= 100; id++) {
      const p = phaseMs(id, 60_000);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(60_000);
      phases.add(Math.floor(p / 6000));
    }
    expect(phases.size).toBe(10); // every tenth of the minute gets some of 100 targets
  });
  it('next slot is the first phase + k·interval at or after the time', () => {
    expect(nextSlot(10_000, 250, 1000)).toBe(10_250);
    expect(nextSlot(10_250, 250, 1000)).toBe(10_250);
    expect(nextSlot(10_251, 250, 1000)).toBe(11_250);
  });
});

describe.each(STORES)('actors on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let actors: Actors;
  let open: Awaited<ReturnType<typeof listener>>;
  let closed: number;

  beforeAll(async () => {
    ({ db, cleanup } = await store.open());
    open = await listener();
    closed = await closedPort();
    actors = startActors(db, log, fast);
  });
  afterAll(async () => {
    await actors.shutdown(2000);
    await open.close();
    await cleanup();
  });

  it('probes on phase + k·interval: aligned to the wall clock, no drift, no overlap', async () => {
    const t = await createTarget(db, { ...base, name: 'aligned', host: '127.0.0.1', port: open.port, intervalSeconds: 1 }, Date.now());
    await actors.reconcile();
    const rows = await waitFor(
      async () => {
        const r = await results(db, t.id);
        return r.length >= 4 && r;
      },
      8000,
      '4 results',
    );
    const phase = phaseMs(t.id, 1000);
    for (const r of rows) {
      expect(r.outcome).toBe('success');
      const lag = (((r.startedAt - phase) % 1000) + 1000) % 1000;
      expect(lag).toBeLessThan(TIMER_SLACK_MS);
    }
    const slots = rows.map((r) => Math.round((r.startedAt - phase) / 1000));
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBe(1);
    expect(actors.lag.summary(Date.now()).count).toBeGreaterThanOrEqual(4);
  });

  it('a target that never answers, with timeout = interval, is still probed every slot', async () => {
    const hole = await blackhole();
    try {
      const t = await createTarget(db, { ...base, name: 'silent drop', host: '127.0.0.1', port: hole.port, intervalSeconds: 1 }, Date.now());
      expect(t.effectiveTimeoutMs).toBe(1000);
      await actors.reconcile();
      const rows = await waitFor(
        async () => {
          const r = await results(db, t.id);
          return r.length >= 4 && r;
        },
        9000,
        '4 timeouts',
      );
      expect(rows.every((r) => r.outcome === 'timeout')).toBe(true);
      const phase = phaseMs(t.id, 1000);
      const slots = rows.map((r) => Math.round((r.startedAt - phase) / 1000));
      for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBe(1);
      await updateTarget(db, t.id, edit(t, { enabled: false }), Date.now());
      await actors.reconcile();
    } finally {
      await hole.close();
    }
  });

  it('an edit to port or interval applies without a restart', async () => {
    const t = await createTarget(db, { ...base, name: 'edit', host: '127.0.0.1', port: open.port, intervalSeconds: 1 }, Date.now());
    await actors.reconcile();
    await waitFor(async () => (await results(db, t.id)).some((r) => r.outcome === 'success'), 5000, 'first success');
    const changedAt = Date.now();
    await updateTarget(db, t.id, edit(t, { port: closed, intervalSeconds: 2 }), Date.now());
    await actors.reconcile();
    const after = await waitFor(
      async () => {
        const r = (await results(db, t.id)).filter((x) => x.startedAt > changedAt);
        return r.length >= 2 && r;
      },
      8000,
      'two probes after the edit',
    );
    expect(after.every((r) => r.outcome === 'refused')).toBe(true);
    const phase2 = phaseMs(t.id, 2000);
    for (const r of after) expect((((r.startedAt - phase2) % 2000) + 2000) % 2000).toBeLessThan(TIMER_SLACK_MS);
    expect(after[1]!.startedAt - after[0]!.startedAt).toBeGreaterThan(1900);
  });

  it('disable and delete stop probing within one interval, and stay stopped after a restart', async () => {
    const a = await createTarget(db, { ...base, name: 'disable me', host: '127.0.0.1', port: open.port, intervalSeconds: 1 }, Date.now());
    const b = await createTarget(db, { ...base, name: 'delete me', host: '127.0.0.1', port: open.port, intervalSeconds: 1 }, Date.now());
    await actors.reconcile();
    await waitFor(async () => (await results(db, a.id)).length > 0 && (await results(db, b.id)).length > 0, 5000, 'both probed');
    await updateTarget(db, a.id, edit(a, { enabled: false }), Date.now());
    await deleteTarget(db, b.id);
    await actors.reconcile();
    const stoppedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1300));
    const late = (rows: ProbeResult[]) => rows.filter((r) => r.startedAt > stoppedAt);
    expect(late(await results(db, a.id))).toEqual([]);
    expect(late(await results(db, b.id))).toEqual([]);

    await actors.shutdown(2000);
    actors = startActors(db, log, fast);
    const restartedAt = Date.now();
    await actors.reconcile();
    await new Promise((r) => setTimeout(r, 1300));
    expect((await results(db, a.id)).filter((r) => r.startedAt > restartedAt)).toEqual([]);
    expect(await getTarget(db, b.id)).toBeUndefined();
  });

  it('the writer keeps results while the database fails and writes them when it returns', async () => {
    const t = await createTarget(db, { ...base, name: 'through outage', host: '127.0.0.1', port: open.port, intervalSeconds: 1 }, Date.now());
    await actors.reconcile();
    await waitFor(async () => (await results(db, t.id)).length >= 1, 5000, 'first result');
    await db.run(SQL`ALTER TABLE results RENAME TO results_away`);
    const outageStart = Date.now();
    await waitFor(() => actors.writer.stats.failedFlushes >= 2, 5000, 'failed flushes');
    await new Promise((r) => setTimeout(r, 2500));
    expect(actors.writer.stats.buffered).toBeGreaterThan(0);
    await db.run(SQL`ALTER TABLE results_away RENAME TO results`);
    const outageEnd = Date.now();
    await waitFor(() => actors.writer.stats.buffered === 0, 5000, 'buffer drained');
    const rows = await results(db, t.id);
    const during = rows.filter((r) => r.startedAt >= outageStart && r.startedAt < outageEnd);
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.every((r) => r.outcome === 'success')).toBe(true);
    const phase = phaseMs(t.id, 1000);
    const slots = rows.map((r) => Math.round((r.startedAt - phase) / 1000));
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBe(1);
    expect(actors.writer.stats.dropped).toBe(0);
  });
});
