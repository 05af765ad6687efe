import { describe, expect, it } from 'vitest';
import { FAILURE_OUTCOMES, type Bucket } from '../types.ts';
import { connectColumns, countPresent, isolatedIndices, outcomeColumns, ratioColumns } from './series.ts';

const empty = (t: number): Bucket => ({ t, attempts: 0, successes: 0, ratio: null, connectMs: { min: null, avg: null, max: null }, outcomes: {} });
const bucket = (t: number, attempts: number, successes: number, outcomes: Bucket['outcomes'] = {}): Bucket => ({
  t,
  attempts,
  successes,
  ratio: successes / attempts,
  connectMs: successes ? { min: 1, avg: 2, max: 3 } : { min: null, avg: null, max: null },
  outcomes,
});

describe('bucket → uPlot series', () => {
  const buckets = [bucket(10_000, 10, 10), empty(20_000), bucket(30_000, 4, 1, { refused: 2, timeout: 1 }), bucket(40_000, 2, 0, { timeout: 2 })];

  it('uses seconds on x and null (not 0) for empty buckets', () => {
    const [xs, ratio] = ratioColumns(buckets);
    expect(xs).toEqual([10, 20, 30, 40]);
    expect(ratio).toEqual([1, null, 0.25, 0]);
  });

  it('keeps a 0 ratio as 0 and never turns an empty bucket into 0 even if the server sent ratio 0', () => {
    const [, ratio] = ratioColumns([{ ...empty(0), ratio: 0 }]);
    expect(ratio).toEqual([null]);
  });

  it('builds min/avg/max connect columns with gaps', () => {
    const [, min, avg, max] = connectColumns(buckets);
    expect(min).toEqual([1, null, 1, null]);
    expect(avg).toEqual([2, null, 2, null]);
    expect(max).toEqual([3, null, 3, null]);
  });

  it('stacks failure outcomes cumulatively in kind order', () => {
    const { raw, stacked } = outcomeColumns(buckets);
    expect(raw[0]).toEqual([0, null, 2, 0]); // refused
    expect(raw[1]).toEqual([0, null, 1, 2]); // timeout
    expect(stacked[1]).toEqual([0, null, 2, 0]);
    expect(stacked[2]).toEqual([0, null, 3, 2]);
    expect(stacked[FAILURE_OUTCOMES.length]).toEqual([0, null, 3, 2]); // top of the stack = all failures
    expect(stacked).toHaveLength(FAILURE_OUTCOMES.length + 1);
  });

  it('gives local_error its own series, and a bucket of only local errors a ratio gap', () => {
    const b = { ...bucket(0, 3, 0, { local_error: 3 }), ratio: null };
    const { raw } = outcomeColumns([b]);
    expect(raw[FAILURE_OUTCOMES.indexOf('local_error')]).toEqual([3]);
    expect(ratioColumns([b])[1]).toEqual([null]);
  });

  it('finds isolated values that a gapped line would not draw', () => {
    expect(isolatedIndices([1, null, 0.5, null, 1, 1, null])).toEqual([0, 2]);
    expect(isolatedIndices([null, 1])).toEqual([1]);
    expect(isolatedIndices([])).toEqual([]);
    expect(countPresent([1, null, 0])).toBe(2);
  });
});
