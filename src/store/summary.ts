/** Dashboard summaries across targets. */
import { SQL } from 'sql-template-strings';
import type { Db } from './db.js';

/** Attempts and successes of one target. */
export interface SuccessCount {
  attempts: number;
  successes: number;
}

/**
 * Attempts and successes per target since `since` (UTC epoch ms), for the 24 h success ratio.
 */
export async function successCountsSince(db: Db, since: number): Promise<Map<number, SuccessCount>> {
  const rows = await db.all<{ target_id: number; attempts: number; successes: number }>(SQL`SELECT target_id, COUNT(*) AS attempts,
      SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS successes
    FROM results WHERE started_at >= ${since} GROUP BY target_id`);
  return new Map(rows.map((r) => [Number(r.target_id), { attempts: Number(r.attempts), successes: Number(r.successes) }]));
}
