/**
 * Converts history buckets into uPlot's column-oriented data (x in seconds, one array per series).
 * Empty buckets (no attempts) become `null` so charts draw gaps, never zeros.
 */
import { FAILURE_OUTCOMES, type Bucket, type FailureOutcome } from '../types.ts';

/** uPlot-style aligned data: `[xs, ...ys]`. */
export type Columns = [number[], ...(number | null)[][]];

/** x values (bucket starts) in seconds, as uPlot expects. */
export function bucketTimes(buckets: readonly Bucket[]): number[] {
  return buckets.map((b) => b.t / 1000);
}

/** Success ratio per bucket (0..1), null for buckets without measured attempts (none, or only `local_error`). */
export function ratioColumns(buckets: readonly Bucket[]): Columns {
  return [bucketTimes(buckets), buckets.map((b) => (b.attempts > 0 ? b.ratio : null))];
}

/** Connect time min / avg / max per bucket (ms), null where no connect succeeded. */
export function connectColumns(buckets: readonly Bucket[]): Columns {
  return [bucketTimes(buckets), buckets.map((b) => b.connectMs?.min ?? null), buckets.map((b) => b.connectMs?.avg ?? null), buckets.map((b) => b.connectMs?.max ?? null)];
}

/** Raw and stacked failure counts per outcome kind, in {@link FAILURE_OUTCOMES} order. */
export interface OutcomeStacks {
  /** Per kind, the raw count per bucket (null for buckets without attempts). */
  raw: (number | null)[][];
  /** Per kind, the cumulative count up to and including that kind (what the chart draws). */
  stacked: Columns;
}

/**
 * Failure outcomes stacked by kind: series i is the sum of kinds 0..i, so filling between
 * consecutive series shows each kind's share. Buckets without attempts are null (gaps).
 */
export function outcomeColumns(buckets: readonly Bucket[]): OutcomeStacks {
  const raw = FAILURE_OUTCOMES.map((kind: FailureOutcome) => buckets.map((b) => (b.attempts > 0 ? (b.outcomes?.[kind] ?? 0) : null)));
  const stacked: (number | null)[][] = [];
  raw.forEach((col, i) => {
    stacked.push(col.map((v, j) => (v == null ? null : v + (i > 0 ? (stacked[i - 1]![j] ?? 0) : 0))));
  });
  return { raw, stacked: [bucketTimes(buckets), ...stacked] };
}

/**
 * Indices of values with no non-null neighbour; a line with gaps would not draw them,
 * so the chart marks them with a point (a single bucket stays visible).
 */
export function isolatedIndices(values: readonly (number | null)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] == null) continue;
    if ((i === 0 || values[i - 1] == null) && (i === values.length - 1 || values[i + 1] == null)) out.push(i);
  }
  return out;
}

/** Number of non-null values. */
export function countPresent(values: readonly (number | null)[]): number {
  return values.reduce<number>((n, v) => (v == null ? n : n + 1), 0);
}
