/**
 * The bucket window of a history-style request (history, compare): the step (whole seconds or
 * `auto`), the zone's local bucket boundaries (domain/local-buckets.ts) and the bucket limit.
 */
import { alignWindow, autoStep } from '../domain/history-steps.js';
import { localWindow, type LocalBucketWindow } from '../domain/local-buckets.js';
import { ValidationError } from '../errors.js';

/**
 * Widens [from, to) (UTC epoch ms) to whole local buckets of `step` s (`auto` or undefined: the
 * automatic step) in `zone` (default UTC).
 * @throws {ValidationError} (on `step`, or on `from` for auto) when the window holds more than `limit` buckets
 */
export function bucketWindow(from: number, to: number, step: string | undefined, zone: string | undefined, limit: number): LocalBucketWindow {
  const auto = step === undefined || step === 'auto';
  const stepSeconds = auto ? autoStep(from, to) : Number(step);
  // Local bucket starts are listed one by one, so a window far over the limit is refused on its
  // UTC count first (a zone's count differs by a few buckets at most).
  const utcCount = alignWindow(from, to, stepSeconds).count;
  const w = utcCount > limit + 100 ? null : localWindow(from, to, stepSeconds, zone ?? 'UTC');
  const count = w?.count ?? utcCount;
  if (!w || count > limit) {
    const many = `That is ${count.toLocaleString('en-US')} buckets; at most ${limit.toLocaleString('en-US')} are allowed.`;
    throw new ValidationError(auto ? { from: `${many} The range is too long even at 1-day buckets; choose a shorter one.` } : { step: `${many} Use a larger step or a shorter range.` });
  }
  return w;
}
