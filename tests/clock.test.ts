/**
 * Wall-clock steps (issue 7 part 1): the actors run on a wall clock the test steps by −1 h, −1 s,
 * +1 s and +1 h while a 1 s and a 60 s target probe real loopback listeners. The listeners note
 * when each connection arrives (monotonic time), so the test sees the real cadence; the stored
 * results and the lag statistics show what NetWatch believed.
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { startActors } from '../src/actors/system.js';
import { clockStepMs, CLOCK_STEP_TOLERANCE_MS, nextSlot, phaseMs, slotAfterStep } from '../src/actors/schedule.js';
import { createTarget } from '../src/store/targets.js';
import { STORES } from './helpers/stores.js';
import { listener } from './helpers/net.js';
import { waitFor } from './helpers/wait.js';
import { TIMER_SLACK_MS } from './helpers/timing.js';

const log = pino({ level: 'silent' });
const fast = { writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 }, reconcileEveryMs: 60_000, purgeEveryMs: 3_600_000 };
const sqlite = STORES.find((s) => s.name === 'sqlite')!;
const HOUR = 3_600_000;

describe('clock-step rules', () => {
  it('a step is the wall clock moving against the monotonic clock by more than the tolerance', () => {
    expect(clockStepMs(1000, 50, 2000, 1050)).toBe(0);
    expect(clockStepMs(1000, 50, 2000 + CLOCK_STEP_TOLERANCE_MS, 1050)).toBe(0);
    expect(clockStepMs(1000, 50, 2000 - HOUR, 1050)).toBe(-HOUR);
    expect(clockStepMs(1000, 50, 3000, 1050)).toBe(1000);
  });
  it('after a step the next slot is on the new clock, at least half an interval after the last probe', () => {
    // a 60 s target probed at 120 000 (phase 0); the clock goes back 1 s, 0.5 s later: not the same slot again
    expect(slotAfterStep(119_500, 500, 0, 60_000)).toBe(180_000);
    // a 1 s target in the same case: the slot labelled 120 000 comes round again 1 s after the last probe
    expect(slotAfterStep(119_500, 500, 0, 1000)).toBe(120_000);
    // an hour back or forwards: the next slot of the new clock, nothing skipped or repeated in real time
    expect(slotAfterStep(120_300 - HOUR, 300, 0, 1000)).toBe(121_000 - HOUR);
    expect(slotAfterStep(120_300 + HOUR, 300, 0, 60_000)).toBe(180_000 + HOUR);
    expect(slotAfterStep(5_000, Infinity, 250, 1000)).toBe(nextSlot(5_000, 250, 1000));
  });
});

/** Real arrival times (performance.now()) of connections at a loopback listener. */
async function timedListener() {
  const arrivals: number[] = [];
  const l = await listener('127.0.0.1', (s) => {
    arrivals.push(performance.now());
    s.on('error', () => undefined);
  });
  return { ...l, arrivals };
}

describe('probing through wall-clock steps (SQLite)', () => {
  it.concurrent.each([[-HOUR], [-1000], [1000], [HOUR]])('step of %i ms', async (stepMs) => {
    const { db, cleanup } = await sqlite.open();
    const one = await timedListener();
    const sixty = await timedListener();
    const base = { retentionValue: 1, retentionUnit: 'day' as const, timeoutMs: null, host: '127.0.0.1' };
    const a = await createTarget(db, { ...base, name: '1 s', port: one.port, intervalSeconds: 1 }, Date.now());
    const b = await createTarget(db, { ...base, name: '60 s', port: sixty.port, intervalSeconds: 60 }, Date.now());
    const p1 = phaseMs(a.id, 1000);
    const p60 = phaseMs(b.id, 60_000);
    // The wall clock the actors read: the 60 s target's first slot is 4.5 s away when they start.
    const real = () => Date.now();
    let offset = (((p60 - 4500 - real()) % 60_000) + 60_000) % 60_000;
    const clock = () => real() + offset;
    const actors = startActors(db, log, { ...fast, now: clock });
    try {
      await waitFor(() => one.arrivals.length >= 2, 5000, 'two probes of the 1 s target');
      // step 300 ms after a probe of the 1 s target, before the 60 s target's first slot
      await waitFor(() => performance.now() - one.arrivals.at(-1)! >= 300, 2000, '300 ms after a probe');
      expect(sixty.arrivals).toEqual([]);
      const before = one.arrivals.length;
      offset += stepMs;
      const steppedAt = performance.now();
      const wallAfter = clock();

      await waitFor(() => sixty.arrivals.length >= 1 && one.arrivals.length >= before + 3, 8000, 'probes after the step');
      await new Promise((r) => setTimeout(r, 300)); // let the writer store them

      // 1 s target: within one interval of the step, then every second; never a burst or a stall
      expect(one.arrivals[before]! - steppedAt).toBeLessThan(1000 + TIMER_SLACK_MS);
      for (let i = 1; i < one.arrivals.length; i++) {
        const gap = one.arrivals[i]! - one.arrivals[i - 1]!;
        expect(gap).toBeGreaterThan(1000 - TIMER_SLACK_MS);
        expect(gap).toBeLessThan(1000 + TIMER_SLACK_MS);
      }
      // 60 s target: its first probe at a slot of the new wall clock, within one interval of the step
      expect(sixty.arrivals).toHaveLength(1);
      expect(sixty.arrivals[0]! - steppedAt).toBeLessThan(60_000);
      const rows = async (id: number) => (await db.all<{ started_at: number }>(SQL`SELECT started_at FROM results WHERE target_id = ${id} ORDER BY id`)).map((r) => Number(r.started_at));
      const [probed60] = await rows(b.id);
      const off60 = (((probed60! - p60) % 60_000) + 60_000) % 60_000;
      expect(off60).toBeLessThan(TIMER_SLACK_MS);
      expect(Math.abs(probed60! - wallAfter)).toBeLessThan(60_000); // on the new clock
      // 1 s target after the step: on the new clock, each started on its slot (within timer lateness)
      const after = (await rows(a.id)).slice(before);
      expect(after.length).toBeGreaterThanOrEqual(3);
      for (const t of after) {
        expect(Math.abs(t - wallAfter)).toBeLessThan(10_000);
        expect((((t - p1) % 1000) + 1000) % 1000).toBeLessThan(TIMER_SLACK_MS);
      }
      // lag statistics: no negative, hour-long or step-long lags
      const lag = actors.lag.summary(clock());
      expect(lag.count).toBeGreaterThanOrEqual(3);
      expect(lag.max!).toBeLessThan(TIMER_SLACK_MS);
      expect(lag.p99!).toBeLessThan(TIMER_SLACK_MS);
    } finally {
      await actors.shutdown(2000);
      await one.close();
      await sixty.close();
      await cleanup();
    }
  });
});
