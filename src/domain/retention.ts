/**
 * History retention: how far back a target's results are kept.
 * minute/hour/day/week are fixed lengths; month/quarter/year are calendar months in UTC
 * (a month back from 31 March is 3 March when February has 28 days, as `Date.setUTCMonth` does).
 */
import type { RetentionUnit } from './target-rules.js';

const FIXED_MS: Partial<Record<RetentionUnit, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};
const MONTHS: Partial<Record<RetentionUnit, number>> = { month: 1, quarter: 3, year: 12 };

/**
 * The oldest start time still kept: results with `started_at < cutoff` are purged.
 * @param now UTC epoch ms; @returns UTC epoch ms
 */
export function retentionCutoff(now: number, value: number, unit: RetentionUnit): number {
  const fixed = FIXED_MS[unit];
  if (fixed !== undefined) return now - value * fixed;
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - value * (MONTHS[unit] ?? 1));
  return d.getTime();
}
