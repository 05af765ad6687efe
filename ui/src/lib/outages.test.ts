import { describe, expect, it } from 'vitest';
import type { Bucket } from '../types.ts';
import { outageStats, summarize } from './outages.ts';

const b = (i: number, attempts: number, successes: number): Bucket => ({
  t: i * 10_000,
  attempts,
  successes,
  ratio: attempts ? successes / attempts : null,
  connectMs: { min: null, avg: null, max: null },
  outcomes: {},
});

describe('range summary', () => {
  it('computes uptime over measured attempts', () => {
    const s = summarize([b(0, 10, 10), b(1, 10, 5), b(2, 10, 0), b(3, 0, 0), b(4, 10, 9), b(5, 10, 10)]);
    expect(s).toEqual({ attempts: 50, successes: 34, uptime: 34 / 50 });
  });

  it('leaves local_error attempts out of uptime', () => {
    const local = (i: number, attempts: number, successes: number, localErrors: number): Bucket => ({ ...b(i, attempts, successes), outcomes: { local_error: localErrors } });
    const s = summarize([local(0, 10, 5, 5), b(1, 2, 0), local(2, 4, 0, 4), b(3, 2, 0)]);
    expect(s.attempts).toBe(9); // 5 + 2 + 0 + 2 measured
    expect(s.uptime).toBeCloseTo(5 / 9);
    expect(summarize([local(0, 3, 0, 3)])).toMatchObject({ attempts: 0, uptime: null });
  });

  it('counts outages from the outage record and names the longest', () => {
    expect(outageStats([])).toEqual({ count: 0, longestMs: 0, longestStart: null });
    const o = (start: number, durationMs: number, maintenance = false) => ({ start, durationMs, maintenance });
    expect(outageStats([o(5, 100), o(900, 300), o(2000, 300)])).toEqual({ count: 3, longestMs: 300, longestStart: 900 });
    // outages in maintenance are shown, not counted
    expect(outageStats([o(5, 100), o(900, 5000, true)])).toEqual({ count: 1, longestMs: 100, longestStart: 5 });
  });

  it('leaves buckets inside maintenance out of uptime', () => {
    expect(summarize([b(0, 10, 10), b(1, 10, 0), b(2, 10, 0), b(3, 10, 10)], [[10_000, 30_000]])).toEqual({ attempts: 20, successes: 20, uptime: 1 });
  });
});
