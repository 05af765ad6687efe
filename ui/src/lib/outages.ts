/**
 * Summary of a history range: uptime from the buckets, outages from the outage record
 * (GET /api/outages, issue 11: an outage runs from the target's first failed probe to the first
 * success of the run that recovered it, per its failure and recovery thresholds).
 *
 * Uptime = successes / measured attempts over the range: `local_error` attempts (NetWatch's own
 * fault, saying nothing about the target), time without probes (disabled, before creation) and
 * maintenance windows are left out; failed probes count from an outage's first failed probe.
 */
import { measuredAttempts, type Bucket, type Outage } from '../types.ts';

/** Uptime of a range. */
export interface RangeSummary {
  /** Measured attempts (`local_error` ones left out). */
  attempts: number;
  successes: number;
  /** successes / measured attempts over the range; null when none was measured. */
  uptime: number | null;
}

/**
 * Summarises buckets; buckets starting inside a maintenance interval (`[start, end)`, UTC epoch ms)
 * are left out (issue 11: maintenance is not monitored time).
 */
export function summarize(buckets: readonly Bucket[], maintenance: readonly (readonly [number, number])[] = []): RangeSummary {
  let attempts = 0;
  let successes = 0;
  for (const b of buckets) {
    if (maintenance.some(([s, e]) => b.t >= s && b.t < e)) continue;
    attempts += measuredAttempts(b);
    successes += b.successes;
  }
  return { attempts, successes, uptime: attempts > 0 ? successes / attempts : null };
}

/** Count and longest of a range's outages. */
export interface OutageStats {
  count: number;
  /** Longest outage, ms (an open one up to now); 0 when none. */
  longestMs: number;
  /** Its start (first failed probe), UTC epoch ms; null when none. */
  longestStart: number | null;
}

/** Counts outages and finds the longest (the first of equals); outages in maintenance are not counted. */
export function outageStats(all: readonly Pick<Outage, 'start' | 'durationMs' | 'maintenance'>[]): OutageStats {
  let longest: Pick<Outage, 'start' | 'durationMs'> | null = null;
  const outages = all.filter((o) => !o.maintenance);
  for (const o of outages) if (!longest || o.durationMs > longest.durationMs) longest = o;
  return { count: outages.length, longestMs: longest?.durationMs ?? 0, longestStart: longest?.start ?? null };
}
