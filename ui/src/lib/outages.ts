/**
 * Summary of a history range: uptime and outages.
 *
 * Outages are computed from buckets, not the raw log: a bucket with attempts and a success
 * ratio below 1 (over measured attempts) counts as failing, and an outage is a run of consecutive failing buckets.
 * A bucket without measured attempts (target disabled or not yet probing, or only `local_error`
 * attempts, which are NetWatch's fault and say nothing about the target) ends a run. The outage
 * duration is from the first failing bucket's start to the last one's end, so it is accurate
 * to one bucket width (finer with a smaller group-by).
 */
import { measuredAttempts, type Bucket } from '../types.ts';

/** What the summary line of the history page shows. */
export interface RangeSummary {
  /** Measured attempts (`local_error` ones left out). */
  attempts: number;
  successes: number;
  /** successes / measured attempts over the range; null when none was measured. */
  uptime: number | null;
  /** Number of runs of failing buckets. */
  outages: number;
  /** Longest run, ms (0 when there was none). */
  longestOutageMs: number;
  /** Start of the longest run, epoch ms (null when there was none). */
  longestOutageStart: number | null;
}

/** Summarises buckets of width `stepSeconds`. */
export function summarize(buckets: readonly Bucket[], stepSeconds: number): RangeSummary {
  const stepMs = stepSeconds * 1000;
  let attempts = 0;
  let successes = 0;
  let outages = 0;
  let longestOutageMs = 0;
  let longestOutageStart: number | null = null;
  let runStart: number | null = null;
  let runEnd = 0;
  const closeRun = (): void => {
    if (runStart == null) return;
    const len = runEnd - runStart;
    if (len > longestOutageMs) {
      longestOutageMs = len;
      longestOutageStart = runStart;
    }
    runStart = null;
  };
  for (const b of buckets) {
    const measured = measuredAttempts(b);
    attempts += measured;
    successes += b.successes;
    const failing = measured > 0 && b.successes < measured;
    if (failing) {
      if (runStart == null) {
        runStart = b.t;
        outages++;
      }
      runEnd = b.t + stepMs;
    } else {
      closeRun();
    }
  }
  closeRun();
  return { attempts, successes, uptime: attempts > 0 ? successes / attempts : null, outages, longestOutageMs, longestOutageStart };
}
