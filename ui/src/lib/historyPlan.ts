/**
 * Decides, before anything is sent, what a history query with a given range and group-by does:
 * request it, switch a too-coarse group-by to auto (with a note), or refuse it with a message.
 * Same bucket rule as the server (src/domain/local-buckets.ts): buckets on the browser's local
 * clock (the zone history requests send as `tz`), more than {@link MAX_BUCKETS} refused (the UI
 * reads the columnar format, whose limit is 100,000 buckets: 24 h at 1 s).
 */
import { alignWindow } from '../../../src/domain/history-steps.ts';
import { MAX_COLUMN_BUCKETS as MAX_BUCKETS } from '../../../src/domain/history-columns.ts';
import { localWindow } from '../../../src/domain/local-buckets.ts';
import { stepOf } from './ranges.ts';
import { browserZone } from './time.ts';

/** What started the query: a new range (preset, custom, zoom, reload) or a new group-by. */
export type PlanCause = 'range' | 'groupBy';

/** The outcome of {@link planQuery}. */
export type QueryPlan = { kind: 'request'; step: number | 'auto'; groupBy: string; note: string } | { kind: 'refuse'; field: 'range' | 'groupBy'; message: string };

/** Fewest buckets a fixed group-by must give; below this the chart is no longer the range chosen. */
export const MIN_BUCKETS = 2;

/**
 * Buckets the server would return for [from, to) at `stepSeconds` in `zone` (as the server counts:
 * a range far over the limit on its UTC count, else on the local clock).
 */
export function bucketCount(from: number, to: number, stepSeconds: number, zone = browserZone()): number {
  const utc = alignWindow(from, to, stepSeconds).count;
  return utc > MAX_BUCKETS + 100 ? utc : localWindow(from, to, stepSeconds, zone).count;
}

/** The server's refusal text for too many buckets (kept identical so both read the same). */
export function tooManyBucketsMessage(count: number): string {
  return `That is ${count.toLocaleString('en-US')} buckets; at most ${MAX_BUCKETS.toLocaleString('en-US')} are allowed. Use a larger step or a shorter range.`;
}

/**
 * True when fewer than {@link MIN_BUCKETS} whole steps fit in [from, to): the server would then
 * widen the range to one or two whole buckets (e.g. 1h grouped by 1d shows a whole day).
 * Judged on the range's length so the answer does not depend on the time of day.
 */
export function tooCoarse(from: number, to: number, stepSeconds: number): boolean {
  return to - from < MIN_BUCKETS * stepSeconds * 1000;
}

/**
 * Plans a history query.
 * @param from inclusive start, epoch ms; @param to exclusive end, epoch ms
 * @param groupBy a group-by label (`auto`, `10s`, `1d`…)
 * @param cause a new range resets a too-coarse group-by to auto; a new group-by is refused instead
 */
export function planQuery(from: number, to: number, groupBy: string, cause: PlanCause): QueryPlan {
  if (!(from < to)) return { kind: 'refuse', field: 'range', message: '“From” must be before “To”.' };
  const step = stepOf(groupBy);
  if (step === 'auto') return { kind: 'request', step, groupBy: 'auto', note: '' };
  const count = bucketCount(from, to, step);
  if (count > MAX_BUCKETS) return { kind: 'refuse', field: 'groupBy', message: tooManyBucketsMessage(count) };
  if (tooCoarse(from, to, step)) {
    if (cause === 'range') {
      return { kind: 'request', step: 'auto', groupBy: 'auto', note: `Group-by ${groupBy} gives fewer than ${MIN_BUCKETS} buckets for this range, so it was reset to auto.` };
    }
    return { kind: 'refuse', field: 'groupBy', message: `Group-by ${groupBy} gives fewer than ${MIN_BUCKETS} buckets for this range. Choose a finer one or a longer range.` };
  }
  return { kind: 'request', step, groupBy, note: '' };
}
