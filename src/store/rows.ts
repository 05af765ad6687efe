/**
 * Row shapes the writer stores and how they are bound: `results` rows and rollup increments. Kept
 * apart from db.ts (the handle) and rollups.ts (the aggregation) so neither imports the other.
 */
import { FAILURE_OUTCOMES, type ProbeResult } from '../domain/types.js';
import { OUTCOME_COLUMN_LIST, type OutcomeCounts } from './outcome-columns.js';

/** The rollup tables and their bucket size, ms. */
export const ROLLUPS = [
  { table: 'results_1m', sizeMs: 60_000 },
  { table: 'results_5m', sizeMs: 300_000 },
  { table: 'results_1h', sizeMs: 3_600_000 },
] as const;
/** Name of a rollup table. */
export type RollupTable = (typeof ROLLUPS)[number]['table'];

/**
 * One rollup increment: what a batch adds to one (target, bucket UTC epoch ms): attempts,
 * successes, connect time sums (ms) over attempts with a handshake, and one count per failure outcome.
 */
export interface RollupRow {
  targetId: number;
  bucket: number;
  attempts: number;
  successes: number;
  connectSum: number;
  connectCount: number;
  connectMin: number | null;
  connectMax: number | null;
  outcomes: OutcomeCounts;
}

/**
 * One history aggregate row as the database returns it (or raw-aggregate.ts builds it): bucket
 * start `t` (UTC epoch ms), fixed counts, connect-time min/sum/count/max (ms), then one count per
 * failure outcome. Drivers may return numbers as strings; readers convert with Number().
 */
export type BucketRow = {
  t: number;
  attempts: number;
  successes: number;
  cmin: number | null;
  csum: number | null;
  ccount: number;
  cmax: number | null;
} & OutcomeCounts;

/**
 * Columns of a rollup table, in the order {@link rollupValues} binds them: the fixed counts and
 * connect-time sums, then one count per failure outcome (outcome-columns.ts).
 */
export const ROLLUP_COLUMNS = `(target_id, bucket, attempts, successes, connect_sum, connect_count, connect_min, connect_max, ${OUTCOME_COLUMN_LIST})`;

/** Number of values one rollup row binds (the columns of {@link ROLLUP_COLUMNS}). */
export const ROLLUP_WIDTH = 8 + FAILURE_OUTCOMES.length;

/** Appends one rollup row's values to `out` in {@link ROLLUP_COLUMNS} order. */
export function rollupValues(out: unknown[], r: RollupRow): void {
  out.push(r.targetId, r.bucket, r.attempts, r.successes, r.connectSum, r.connectCount, r.connectMin, r.connectMax);
  for (const o of FAILURE_OUTCOMES) out.push(r.outcomes[o]);
}

/** Columns of `results` that {@link resultValues} binds, in order. */
export const RESULT_COLUMNS = '(target_id, started_at, outcome, connect_ms, dns_ms, address, local_port, error_code, scheduled_at, local_address, close_mode, addresses, location, node)';

/** Number of values one result row binds (the columns of {@link RESULT_COLUMNS}). */
export const RESULT_WIDTH = 14;

/**
 * `rows` in the order of the results index, (target_id, started_at): consecutive rows then land in
 * neighbouring B-tree pages (MariaDB's clustered primary key, SQLite's index) instead of
 * one page per row in arrival order (issue 12 §3). A sorted copy; `rows` is left as it is.
 */
export function byResultKey(rows: readonly ProbeResult[]): ProbeResult[] {
  return rows.slice().sort((a, b) => a.targetId - b.targetId || a.startedAt - b.startedAt);
}

/** Appends one result's values to `out` in {@link RESULT_COLUMNS} order (`addresses` as JSON text). */
export function resultValues(out: unknown[], r: ProbeResult): void {
  out.push(
    r.targetId,
    r.startedAt,
    r.outcome,
    r.connectMs,
    r.dnsMs,
    r.address,
    r.localPort,
    r.errorCode,
    r.scheduledAt ?? null,
    r.localAddress ?? null,
    r.closeMode ?? null,
    r.addresses ? JSON.stringify(r.addresses) : null,
    r.location ?? null,
    r.node ?? null,
  );
}
