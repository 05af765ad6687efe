import { describe, expect, it } from 'vitest';
import { bucketCount, planQuery, tooCoarse } from './historyPlan.ts';

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 29, 16, 0, 44);

describe('history query plan', () => {
  it('requests auto and ordinary steps as chosen', () => {
    expect(planQuery(NOW - H, NOW, 'auto', 'range')).toEqual({ kind: 'request', step: 'auto', groupBy: 'auto', note: '' });
    expect(planQuery(NOW - 4 * 7 * 24 * H, NOW, '1d', 'groupBy')).toEqual({ kind: 'request', step: 86_400, groupBy: '1d', note: '' });
  });

  it('resets a group-by that gives fewer than 2 buckets for a new range, with a note', () => {
    const p = planQuery(NOW - H, NOW, '1d', 'range');
    expect(p).toMatchObject({ kind: 'request', step: 'auto', groupBy: 'auto' });
    expect(p.kind === 'request' && p.note).toMatch(/Group-by 1d gives fewer than 2 buckets.*reset to auto/);
    // the same at any time of day, including a range that crosses midnight UTC
    expect(planQuery(Date.UTC(2026, 0, 1, 23, 30), Date.UTC(2026, 0, 2, 0, 30), '1d', 'range')).toMatchObject({ groupBy: 'auto' });
    expect(tooCoarse(NOW - 2 * H, NOW, 3600)).toBe(false);
    expect(tooCoarse(NOW - 2 * H + 1, NOW, 3600)).toBe(true);
  });

  it('refuses a too-coarse group-by the user just picked instead of changing it', () => {
    expect(planQuery(NOW - H, NOW, '1h', 'groupBy')).toMatchObject({ kind: 'refuse', field: 'groupBy', message: expect.stringMatching(/fewer than 2 buckets/) });
  });

  it('refuses more than 100,000 buckets (the columnar limit) with the server text, counting aligned buckets', () => {
    const from = NOW - 4 * 7 * 24 * H;
    expect(bucketCount(from, NOW, 10)).toBe(241_921);
    expect(planQuery(from, NOW, '10s', 'range')).toEqual({
      kind: 'refuse',
      field: 'groupBy',
      message: 'That is 241,921 buckets; at most 100,000 are allowed. Use a larger step or a shorter range.',
    });
    // exactly 100,000 aligned buckets pass; one more is refused; 24 h at 1 s is allowed
    const start = Date.UTC(2026, 0, 1);
    expect(planQuery(start, start + 100_000 * 10_000, '10s', 'range').kind).toBe('request');
    expect(planQuery(start, start + 100_000 * 10_000 + 1, '10s', 'range').kind).toBe('refuse');
    expect(planQuery(start, start + 24 * H, '1s', 'range')).toMatchObject({ kind: 'request', step: 1 });
  });

  it('counts buckets on the local clock of the zone the request sends', () => {
    // 23:30 UTC on 28 March to 23:30 UTC on 29 March, by day: two UTC days, three London days
    // (the 29th is 23 hours long: 00:00–23:00 UTC)
    const from = Date.UTC(2026, 2, 28, 23, 30);
    expect(bucketCount(from, from + 24 * H, 86_400, 'UTC')).toBe(2);
    expect(bucketCount(from, from + 24 * H, 86_400, 'Europe/London')).toBe(3);
  });

  it('refuses an empty or reversed range', () => {
    expect(planQuery(NOW, NOW, 'auto', 'range')).toEqual({ kind: 'refuse', field: 'range', message: '“From” must be before “To”.' });
  });
});
