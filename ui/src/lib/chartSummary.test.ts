import { describe, expect, it } from 'vitest';
import type { Bucket } from '../types.ts';
import { connectSummary, failuresText, outcomeSummary, ratioSummary } from './chartSummary.ts';

const b = (attempts: number, successes: number, outcomes: Bucket['outcomes'] = {}, ms: [number, number, number] | null = null): Bucket => {
  const measured = attempts - (outcomes.local_error ?? 0);
  return { t: 0, attempts, successes, ratio: measured > 0 ? successes / measured : null, connectMs: ms ? { min: ms[0], avg: ms[1], max: ms[2] } : { min: null, avg: null, max: null }, outcomes };
};

describe('chart summaries', () => {
  const buckets = [b(6, 6, {}, [0.4, 0.5, 0.9]), b(0, 0), b(6, 3, { refused: 2, timeout: 1 }, [0.3, 2, 4]), b(4, 0, { local_error: 4 })];
  it('ratio: buckets with measured probes, overall over measured attempts, lowest, how many below 100 %', () => {
    expect(ratioSummary(buckets)).toBe('4 buckets, 2 with data: overall 75.00 %, lowest 50.00 %, 1 below 100 %.');
    expect(ratioSummary([b(0, 0)])).toBe('1 bucket, none with measured probes.');
  });
  it('connect time: min, average weighted by successes, max', () => {
    expect(connectSummary(buckets)).toBe('Connect time over 2 buckets: min 0.30 ms, average 1.00 ms, max 4.00 ms.');
    expect(connectSummary([b(2, 0, { refused: 2 })])).toBe('No successful connects in this range.');
  });
  it('failures: totals per outcome in the chart’s order, local errors included', () => {
    expect(outcomeSummary(buckets)).toBe('Failures in this range: 2 refused, 1 timeout, 4 local error.');
    expect(failuresText(buckets[0]!)).toBe('none');
    expect(outcomeSummary([b(1, 1)])).toBe('No failures in this range.');
  });
  it('summarises 100,000 buckets (the columnar limit) without overflowing the stack', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => b(2, i === 5 ? 1 : 2, i === 5 ? { refused: 1 } : {}, [0.25 + (i % 3), 1, 9 - (i % 2)]));
    expect(ratioSummary(many)).toBe('100000 buckets, 100000 with data: overall 100.00 %, lowest 50.00 %, 1 below 100 %.');
    expect(connectSummary(many)).toMatch(/min 0\.25 ms, average 1\.00 ms, max 9\.00 ms/);
  });
});
