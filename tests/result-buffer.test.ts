/**
 * The writer's buffer: bound, drop counting, and how long results have waited (health's stall
 * signal); and the writer's waits, which a wall-clock step must not stretch or hide.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { ResultBuffer } from '../src/actors/result-buffer.js';
import { spawnWriter } from '../src/actors/writer.js';
import { start, stop } from 'nact';
import type { ProbeResult } from '../src/domain/types.js';
import { createTarget } from '../src/store/targets.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const HOUR = 3_600_000;
/** Steps the process's wall clock (Date.now) by `ms` from now on. */
const stepWallClock = (ms: number) => {
  const real = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => real() + ms);
};
afterEach(() => vi.restoreAllMocks());

const r = (targetId: number, startedAt: number): ProbeResult => ({ targetId, startedAt, outcome: 'success', connectMs: 1, dnsMs: null, address: '127.0.0.1', localPort: 1, errorCode: null });

describe('ResultBuffer', () => {
  it('keeps at most the bound, dropping and counting the oldest', () => {
    const b = new ResultBuffer({ batchSize: 2, maxBuffered: 3 });
    let dropped = 0;
    for (let i = 0; i < 5; i++) dropped += b.push(r(1, i));
    expect(b.size).toBe(3);
    expect(dropped).toBe(2);
    expect(b.peekBatch().map((x) => x.startedAt)).toEqual([2, 3]);
  });

  it('reports how long results have waited since the last successful flush', async () => {
    const b = new ResultBuffer({ batchSize: 10, maxBuffered: 100 });
    expect(b.waitingMs()).toBe(0);
    b.push(r(1, 1));
    await new Promise((res) => setTimeout(res, 30));
    expect(b.waitingMs()).toBeGreaterThanOrEqual(25);
    b.commit(b.peekBatch());
    expect(b.size).toBe(0);
    expect(b.waitingMs()).toBe(0);
  });

  it('a backwards wall-clock step does not hide results that keep waiting', async () => {
    const b = new ResultBuffer({ batchSize: 10, maxBuffered: 100 });
    b.push(r(1, 1));
    stepWallClock(-HOUR);
    await new Promise((res) => setTimeout(res, 30));
    expect(b.waitingMs()).toBeGreaterThanOrEqual(25);
    expect(b.waitingMs()).toBeLessThan(HOUR);
  });
});

describe('writer through a wall-clock step (SQLite)', () => {
  it('retries a failed flush after its backoff even when the clock went back an hour meanwhile', async () => {
    const { db, cleanup } = await STORES.find((s) => s.name === 'sqlite')!.open();
    const system = start();
    const writer = spawnWriter(system, db, pino({ level: 'silent' }), { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 50, maxBackoffMs: 1000 });
    try {
      const t = await createTarget(db, { name: 'w', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' }, Date.now());
      await db.run(SQL`ALTER TABLE results RENAME TO results_away`);
      writer.submit(r(t.id, Date.now()));
      await waitFor(() => writer.stats.failedFlushes >= 1, 3000, 'a failed flush');
      stepWallClock(-HOUR);
      await db.run(SQL`ALTER TABLE results_away RENAME TO results`);
      // the backoff after the first failure is 1 s: stored within about that, not an hour later
      await waitFor(() => writer.stats.buffered === 0, 3000, 'the retried flush');
      expect(Number((await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM results`))!.n)).toBe(1);
    } finally {
      await writer.drain(performance.now() + 500);
      stop(system);
      await cleanup();
    }
  });
});
