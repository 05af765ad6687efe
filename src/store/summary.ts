/** Dashboard summaries across targets. */
import { SQL } from 'sql-template-strings';
import type { Db } from './db.js';
import { MEASURED_SQL } from './rollups.js';

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
    SQL`SELECT target_id, SUM(`.append(MEASURED_SQL).append(`) AS attempts, SUM(successes) AS successes FROM `)
      .append(table)
      .append(SQL` WHERE bucket >= ${from} GROUP BY target_id`),
  );
  return new Map(rows.map((r) => [Number(r.target_id), { attempts: Number(r.attempts), successes: Number(r.successes) }]));
}
