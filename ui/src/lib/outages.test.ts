import { describe, expect, it } from 'vitest';
import type { Bucket } from '../types.ts';
import { summarize } from './outages.ts';

const b = (i: number, attempts: number, successes: number): Bucket => ({
  t: i * 10_000, attempts, successes, ratio: attempts ? successes / attempts : null,
  connectMs: { min: null, avg: null, max: null }, outcomes: {},
});

describe('range summary', () => {
  it('computes uptime and outage runs from failing buckets', () => {
    const s = summarize([b(0, 10, 10), b(1, 10, 5), b(2, 10, 0), b(3, 10, 10), b(4, 10, 9), b(5, 10, 10)], 10);
    expect(s.attempts).toBe(60);
    expect(s.successes).toBe(44);
    expect(s.uptime).toBeCloseTo(44 / 60);
    expect(s.outages).toBe(2);
    expect(s.longestOutageMs).toBe(20_000);
    expect(s.longestOutageStart).toBe(10_000);
  });

  it('ends a run at an empty bucket and counts a run reaching the end', () => {
    const s = summarize([b(0, 1, 0), b(1, 0, 0), b(2, 1, 0), b(3, 1, 0), b(4, 1, 0)], 10);
    expect(s.outages).toBe(2);
    expect(s.longestOutageMs).toBe(30_000);
    expect(s.longestOutageStart).toBe(20_000);
  });

  it('leaves local_error attempts out of uptime, and a bucket of only local errors ends a run like a gap', () => {
    const local = (i: number, attempts: number, successes: number, localErrors: number): Bucket => ({ ...b(i, attempts, successes), outcomes: { local_error: localErrors } });
    const s = summarize([local(0, 10, 5, 5), b(1, 2, 0), local(2, 4, 0, 4), b(3, 2, 0)], 10);
    expect(s.attempts).toBe(9); // 5 + 2 + 0 + 2 measured
    expect(s.successes).toBe(5);
    expect(s.uptime).toBeCloseTo(5 / 9);
    expect(s.outages).toBe(2);
    expect(summarize([local(0, 3, 0, 3)], 10)).toMatchObject({ attempts: 0, uptime: null, outages: 0 });
  });

  it('reports no uptime without attempts and no outages when all succeed', () => {
    expect(summarize([b(0, 0, 0)], 10)).toMatchObject({ uptime: null, outages: 0, longestOutageMs: 0, longestOutageStart: null });
    expect(summarize([b(0, 3, 3), b(1, 3, 3)], 10)).toMatchObject({ uptime: 1, outages: 0 });
  });
});
