/** Dashboard summaries across targets. */
import { SQL } from 'sql-template-strings';
import type { Db } from './db.js';
import { MEASURED_SQL } from './outcome-columns.js';

/** Measured attempts (`local_error` ones left out, see UNMEASURED_OUTCOMES) and successes of one target. */
export interface SuccessCount {
  attempts: number;
  successes: number;
}

/**
 * Attempts and successes per target from the hour that holds `since` (UTC epoch ms) on, read from
 * the 1-hour rollups: the dashboard's "24 h" ratio covers the last 24 to 25 whole hours.
 * Cost grows with targets × 25 hours, not with the history stored (index `results_1h_bucket`,
 * which covers the columns read here).
 */
export async function successCountsSince(db: Db, since: number): Promise<Map<number, SuccessCount>> {
  const from = since - (since % 3_600_000);
  // Read only the last hours through the covering (bucket, …) index, never every stored hour.
  // SQLite, without statistics, would rather scan the primary key to avoid sorting for GROUP BY.
  const table = db.dialect === 'sqlite' ? 'results_1h INDEXED BY results_1h_bucket' : 'results_1h';
  const rows = await db.all<{ target_id: number; attempts: number; successes: number }>(
    SQL`SELECT target_id, SUM(`
      .append(MEASURED_SQL)
      .append(`) AS attempts, SUM(successes) AS successes FROM `)
      .append(table)
      .append(SQL` WHERE bucket >= ${from} GROUP BY target_id`),
  );
  return new Map(rows.map((r) => [Number(r.target_id), { attempts: Number(r.attempts), successes: Number(r.successes) }]));
}

/**
 * Measured attempts and successes of one target in [from, to) (UTC epoch ms, whole minutes), from
 * the 1-minute rollups: what a maintenance window takes out of the dashboard's ratio (issue 11).
 */
export async function successCountsBetween(db: Db, targetId: number, from: number, to: number): Promise<SuccessCount> {
  const r = await db.get<{ attempts: number | null; successes: number | null }>(
    SQL`SELECT SUM(`.append(MEASURED_SQL).append(SQL`) AS attempts, SUM(successes) AS successes FROM results_1m
      WHERE target_id = ${targetId} AND bucket >= ${from} AND bucket < ${to}`),
  );
  return { attempts: Number(r?.attempts ?? 0), successes: Number(r?.successes ?? 0) };
}
