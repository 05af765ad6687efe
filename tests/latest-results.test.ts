/**
 * The latest-result map: keeps each target's newest result by start time, seeds targets from the
 * store once per process (a newer result recorded meanwhile wins) with the failure run stored
 * before this process's first result of them, forgets deleted targets; and the writer's statistics count what it stored and dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { start, stop } from 'nact';
import { LatestResults } from '../src/actors/latest-results.js';
import { spawnWriter } from '../src/actors/writer.js';
import type { Outcome, ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { insertResults } from '../src/store/results.js';
import { createTarget } from '../src/store/targets.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const r = (targetId: number, startedAt: number): ProbeResult => ({ targetId, startedAt, outcome: 'success', connectMs: 1, dnsMs: null, address: '127.0.0.1', localPort: 1, errorCode: null });

describe('LatestResults in memory', () => {
  it('keeps the newest result of each target by start time, whatever the order they arrive in', () => {
    const m = new LatestResults();
    m.record(r(1, 20));
    m.record(r(1, 10));
    m.record(r(2, 5));
    expect(m.get(1)!.startedAt).toBe(20);
    expect([...m.snapshot().keys()].sort()).toEqual([1, 2]);
    m.forget(1);
    expect(m.get(1)).toBeUndefined();
    expect(m.snapshot().size).toBe(1);
  });
});

describe.each(STORES)('LatestResults and the writer on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let ids: number[];
  beforeAll(async () => {
    ({ db, cleanup } = await store.open());
    const base = { host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' as const };
    ids = [];
    for (const name of ['a', 'b', 'c']) ids.push((await createTarget(db, { name, ...base }, Date.now())).id);
  });
  afterAll(() => cleanup());

  it('seeds from the store once per target; a newer result recorded before wins', async () => {
    const [a, b, c] = ids as [number, number, number];
    await insertResults(db, [r(a, 1000), r(a, 2000), r(b, 1000)]);
    const m = new LatestResults();
    m.record(r(b, 5000));
    await m.seed(db, [a, b, c]);
    expect(m.get(a)!.startedAt).toBe(2000);
    expect(m.get(b)!.startedAt).toBe(5000);
    expect(m.get(c)).toBeUndefined();
    // looked up once: a result stored later for c is not read again by this process
    await insertResults(db, [r(c, 3000)]);
    await m.seed(db, [a, b, c]);
    expect(m.get(c)).toBeUndefined();
    // a forgotten target is looked up again
    m.forget(c);
    await m.seed(db, [c]);
    expect(m.get(c)!.startedAt).toBe(3000);
  });

  it('continues each failure run from the store: failures stored before the first result recorded, back to the newest success', async () => {
    const base = { host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' as const };
    const [d, e, f, g, h] = await Promise.all(['d', 'e', 'f', 'g', 'h'].map(async (name) => (await createTarget(db, { name, ...base }, Date.now())).id));
    const o = (targetId: number, startedAt: number, outcome: Outcome): ProbeResult => ({ ...r(targetId, startedAt), outcome, connectMs: null });
    await insertResults(db, [o(d!, 100, 'success'), o(d!, 200, 'refused'), o(d!, 250, 'local_error'), o(d!, 300, 'timeout')]);
    await insertResults(db, [o(e!, 100, 'refused'), o(e!, 200, 'refused')]);
    // f: 300 is this process's result, already stored too: counted once
    await insertResults(db, [o(f!, 50, 'success'), o(f!, 100, 'refused'), o(f!, 200, 'refused'), o(f!, 300, 'refused')]);
    // g: a run longer than the first page of 8 rows
    await insertResults(db, [o(g!, 1, 'success'), ...Array.from({ length: 12 }, (_, i) => o(g!, 10 + i, 'reset'))]);
    await insertResults(db, [o(h!, 100, 'local_error')]);
    const m = new LatestResults();
    m.record(o(d!, 400, 'refused'));
    m.record(o(e!, 300, 'success'));
    m.record(o(f!, 300, 'refused'));
    await m.seed(db, [d!, e!, f!, g!, h!]);
    expect(m.run(d!)).toEqual(expect.objectContaining({ failuresInARow: 3, measured: true }));
    expect(m.run(e!)).toEqual(expect.objectContaining({ failuresInARow: 0, measured: true }));
    expect(m.run(f!)).toEqual(expect.objectContaining({ failuresInARow: 3, measured: true }));
    expect(m.run(g!)).toEqual(expect.objectContaining({ failuresInARow: 12, measured: true }));
    expect(m.run(h!)).toEqual(expect.objectContaining({ failuresInARow: 0, measured: false }));
    expect(m.get(g!)!.startedAt).toBe(21);
    // from here on the run goes on in memory; a second seed reads nothing again
    m.record(o(g!, 30, 'timeout'));
    await m.seed(db, [g!]);
    expect(m.run(g!)!.failuresInARow).toBe(13);
    m.record(o(g!, 31, 'success'));
    expect(m.run(g!)!.failuresInARow).toBe(0);
  });

  it('the writer counts results stored and the oldest dropped past its bound', async () => {
    const system = start();
    const writer = spawnWriter(system, db, pino({ level: 'silent' }), { batchSize: 1000, maxBuffered: 3, flushEveryMs: 60_000, maxBackoffMs: 1000 });
    try {
      for (let i = 0; i < 5; i++) writer.submit(r(ids[0]!, 10_000 + i));
      await waitFor(() => writer.stats.dropped === 2, 3000, 'two dropped');
      expect(writer.stats.buffered).toBe(3);
      await writer.drain(performance.now() + 3000);
      expect(writer.stats).toMatchObject({ buffered: 0, written: 3, dropped: 2, failedFlushes: 0 });
    } finally {
      stop(system);
    }
  });
});
