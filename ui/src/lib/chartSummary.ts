/**
 * Words for the history charts (issue 16 §4): a summary of each chart (its accessible name and
 * the caption under it) and the failures of one bucket, for screen readers and anyone who
 * prefers text to a canvas. Pure functions of the buckets.
 */
import { FAILURE_OUTCOMES, measuredAttempts, type Bucket } from '../types.ts';
import { outcomeLabel } from './outcomeView.ts';
import { formatConnectMs, formatRatio } from './time.ts';

const buckets = (n: number) => `${n} bucket${n === 1 ? '' : 's'}`;

/** Summary of the success ratio chart, e.g. `120 buckets, 118 with data: lowest 50 %, 3 below 100 %.` */
export function ratioSummary(all: readonly Bucket[]): string {
  const measured = all.filter((b) => measuredAttempts(b) > 0);
  if (measured.length === 0) return `${buckets(all.length)}, none with measured probes.`;
  const ratios = measured.map((b) => b.ratio ?? 0);
  const below = ratios.filter((r) => r < 1).length;
  const total = measured.reduce((n, b) => n + measuredAttempts(b), 0);
  const ok = measured.reduce((n, b) => n + b.successes, 0);
  return `${buckets(all.length)}, ${measured.length} with data: overall ${formatRatio(ok / total)}, lowest ${formatRatio(ratios.reduce((a, b) => Math.min(a, b), Infinity))}, ${below === 0 ? 'none' : below} below 100 %.`;
}

/** Summary of the connect time chart: min, average (weighted by successes) and max over the range. */
export function connectSummary(all: readonly Bucket[]): string {
  const withTimes = all.filter((b) => b.connectMs?.avg != null);
  if (withTimes.length === 0) return 'No successful connects in this range.';
  // a loop, not Math.min(...xs): 100,000 arguments can overflow the stack
  const min = withTimes.reduce((m, b) => Math.min(m, b.connectMs.min ?? Infinity), Infinity);
  const max = withTimes.reduce((m, b) => Math.max(m, b.connectMs.max ?? -Infinity), -Infinity);
  const n = withTimes.reduce((s, b) => s + b.successes, 0);
  const avg = n > 0 ? withTimes.reduce((s, b) => s + (b.connectMs.avg ?? 0) * b.successes, 0) / n : null;
  return `Connect time over ${buckets(withTimes.length)}: min ${formatConnectMs(min)}, average ${formatConnectMs(avg)}, max ${formatConnectMs(max)}.`;
}

/** A bucket's failures in words, e.g. `2 refused, 1 timeout`; `none` when there were none. */
export function failuresText(b: Bucket): string {
  const parts = FAILURE_OUTCOMES.filter((o) => (b.outcomes[o] ?? 0) > 0).map((o) => `${b.outcomes[o]} ${outcomeLabel(o)}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** Summary of the failures chart: totals per outcome over the range. */
export function outcomeSummary(buckets: readonly Bucket[]): string {
  const sum: Bucket = { t: 0, attempts: 0, successes: 0, ratio: null, connectMs: { min: null, avg: null, max: null }, outcomes: {} };
  for (const b of buckets) for (const o of FAILURE_OUTCOMES) if (b.outcomes[o]) sum.outcomes[o] = (sum.outcomes[o] ?? 0) + b.outcomes[o]!;
  const text = failuresText(sum);
  return text === 'none' ? 'No failures in this range.' : `Failures in this range: ${text}.`;
}
