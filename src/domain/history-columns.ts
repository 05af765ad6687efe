/**
 * The columnar history format (issue 13 §1): one array per series, index i for bucket i, in the
 * shape uPlot takes directly. Nulls mark gaps: a bucket without attempts has null in every column;
 * connect times are null where no handshake completed. Outcome columns list every failure outcome
 * of {@link FAILURE_OUTCOMES} (incl. `local_error`), so a client reads each kind without guessing.
 * Pure; browser-safe (the UI converts back with {@link bucketsFromColumns} where it needs objects).
 */
import { FAILURE_OUTCOMES, measuredAttempts, type FailureOutcome, type HistoryBucket } from './types.js';

/** Most buckets a columnar history request may ask for: 24 h at 1 s is 86,400 (issue 13 §1). */
export const MAX_COLUMN_BUCKETS = 100_000;

/** History series as columns; every array has one entry per bucket of the window, oldest first. */
export interface HistoryColumns {
  /** Bucket starts, UTC epoch ms (never null). */
  t: number[];
  /** Probes started in the bucket; null for a bucket without any (a gap). */
  attempts: (number | null)[];
  /** Successful probes; null for a gap. */
  successes: (number | null)[];
  /** Connect time minimum / average / maximum over completed handshakes, ms (minimum and maximum on the µs grid they are measured on); null when none. */
  connectMin: (number | null)[];
  connectAvg: (number | null)[];
  connectMax: (number | null)[];
  /** Count of each failure outcome per bucket (0 when none), null for a gap. */
  outcomes: Record<FailureOutcome, (number | null)[]>;
}

/**
 * Columns of a complete, ordered bucket list (as `fillBuckets` in src/store/history.ts returns).
 * Buckets with attempts 0 become nulls in every series but `t`.
 */
export function toColumns(buckets: readonly HistoryBucket[]): HistoryColumns {
  const n = buckets.length;
  const col = () => new Array<number | null>(n).fill(null);
  const out: HistoryColumns = {
    t: new Array<number>(n),
    attempts: col(),
    successes: col(),
    connectMin: col(),
    connectAvg: col(),
    connectMax: col(),
    outcomes: Object.fromEntries(FAILURE_OUTCOMES.map((o) => [o, col()])) as HistoryColumns['outcomes'],
  };
  buckets.forEach((b, i) => {
    out.t[i] = b.t;
    if (b.attempts === 0) return;
    out.attempts[i] = b.attempts;
    out.successes[i] = b.successes;
    out.connectMin[i] = b.connectMs.min;
    out.connectAvg[i] = b.connectMs.avg;
    out.connectMax[i] = b.connectMs.max;
    for (const o of FAILURE_OUTCOMES) out.outcomes[o][i] = b.outcomes[o] ?? 0;
  });
  return out;
}

/**
 * The buckets of a columnar history, the inverse of {@link toColumns}: gaps become buckets with
 * attempts 0 and ratio null; the ratio is successes over measured attempts (`local_error` left out).
 */
export function bucketsFromColumns(c: HistoryColumns): HistoryBucket[] {
  return c.t.map((t, i) => {
    const attempts = c.attempts[i] ?? 0;
    const successes = c.successes[i] ?? 0;
    const outcomes: HistoryBucket['outcomes'] = {};
    for (const o of FAILURE_OUTCOMES) {
      const v = c.outcomes[o]?.[i] ?? 0;
      if (v > 0) outcomes[o] = v;
    }
    const measured = measuredAttempts({ attempts, outcomes });
    return {
      t,
      attempts,
      successes,
      ratio: measured > 0 ? successes / measured : null,
      connectMs: { min: c.connectMin[i] ?? null, avg: c.connectAvg[i] ?? null, max: c.connectMax[i] ?? null },
      outcomes,
    };
  });
}
