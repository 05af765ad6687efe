/**
 * Keeps rollups exact at a retention cut-off. Whole buckets before the cut-off go with their raw
 * rows ({@link purgeRollups}); the bucket that holds the cut-off keeps some raw rows and loses
 * others, so its counts and sums must lose exactly what retention removes. {@link trimAtCutoff}
 * deletes those raw rows and takes them out of the 1-minute and 1-hour buckets that hold them in
 * one transaction, so every history answer (raw rows or rollups) agrees after a purge.
 *
 * Cost: it reads only the rows it deletes (about one purge period's worth); the connect-time
 * min/max of a bucket is re-read from its remaining rows only when the deleted rows held it.
 *
 * MySQL locking order is the writer's (raw rows, then rollup rows), so the two never deadlock:
 * the deleted rows are read FOR UPDATE first, then the rollup rows, and the remaining rows are read
 * without locks (a writer adding to the bucket meanwhile waits for the rollup row and then adds
 * its own increments, min and max on top).
 */
import { SQL, type SQLStatement } from 'sql-template-strings';
import { FAILURE_OUTCOMES } from '../domain/types.js';
import type { Db } from './db.js';
import { appendOutcomeCounts } from './outcome-columns.js';
import { ROLLUPS, type RollupTable } from './rows.js';

/** The count and sum columns of a rollup row that a deletion takes away from. */
const COUNTS = ['attempts', 'successes', 'connect_count', ...FAILURE_OUTCOMES] as const;
type Aggregate = Record<(typeof COUNTS)[number] | 'connect_sum', number> & { connect_min: number | null; connect_max: number | null };

/** Aggregate of a target's raw rows in [from, to), in rollup column names. */
function aggregateQuery(targetId: number, from: number, to: number): SQLStatement {
  const q = SQL`SELECT COUNT(*) AS attempts, SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS successes,
      COALESCE(SUM(connect_ms), 0) AS connect_sum, COUNT(connect_ms) AS connect_count,
      MIN(connect_ms) AS connect_min, MAX(connect_ms) AS connect_max`;
  return appendOutcomeCounts(q, true).append(SQL` FROM results WHERE target_id = ${targetId} AND started_at >= ${from} AND started_at < ${to}`);
}

const num = (v: unknown) => (v == null ? 0 : Number(v));
const orNull = (v: unknown) => (v == null ? null : Number(v));

/** Takes `gone` out of one rollup bucket (whose remaining raw rows are in [bucket, end)). */
async function subtract(tx: Db, table: RollupTable, targetId: number, bucket: number, end: number, gone: Aggregate): Promise<number> {
  const lock = tx.dialect === 'mysql' ? ' FOR UPDATE' : '';
  const row = await tx.get<Record<string, unknown>>(
    SQL`SELECT * FROM `
      .append(table)
      .append(SQL` WHERE target_id = ${targetId} AND bucket = ${bucket}`)
      .append(lock),
  );
  if (!row) return 0;
  const left = Object.fromEntries(COUNTS.map((c) => [c, Math.max(0, num(row[c]) - gone[c])])) as Record<(typeof COUNTS)[number], number>;
  const where = SQL` WHERE target_id = ${targetId} AND bucket = ${bucket}`;
  if (left.attempts === 0) return (await tx.run(SQL`DELETE FROM `.append(table).append(where))).changes;
  let min = orNull(row.connect_min);
  let max = orNull(row.connect_max);
  // sums of µs-precision times stay on the µs grid; rounding stops float drift from subtraction
  const sum = left.connect_count === 0 ? 0 : Math.round((num(row.connect_sum) - gone.connect_sum) * 1000) / 1000;
  if (left.connect_count === 0) {
    min = max = null;
  } else if ((gone.connect_min !== null && min !== null && gone.connect_min <= min) || (gone.connect_max !== null && max !== null && gone.connect_max >= max)) {
    const rest = await tx.get<{ lo: unknown; hi: unknown }>(
      SQL`SELECT MIN(connect_ms) AS lo, MAX(connect_ms) AS hi FROM results WHERE target_id = ${targetId} AND started_at >= ${bucket} AND started_at < ${end}`,
    );
    min = orNull(rest?.lo);
    max = orNull(rest?.hi);
  }
  const set = SQL`UPDATE `.append(table).append(SQL` SET connect_sum = ${sum}, connect_min = ${min}, connect_max = ${max}`);
  for (const c of COUNTS) set.append(`, ${c} = `).append(SQL`${left[c]}`);
  await tx.run(set.append(where));
  return 0;
}

/**
 * Deletes one target's raw rows in [start of the hour holding `cutoff`, `cutoff`) and subtracts them
 * from the rollup buckets holding them, in one transaction. Rows before that hour are the caller's
 * (whole expired buckets). @param cutoff UTC epoch ms; @returns rows deleted (raw and emptied buckets)
 * @throws the driver's error; nothing is changed then
 */
export async function trimAtCutoff(db: Db, targetId: number, cutoff: number): Promise<number> {
  const hourly = ROLLUPS.find((r) => r.table === 'results_1h')!;
  const from = cutoff - (cutoff % hourly.sizeMs);
  if (from === cutoff) return 0;
  return db.tx(async (tx) => {
    const lock = tx.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const gone: { table: RollupTable; bucket: number; end: number; agg: Aggregate }[] = [];
    for (const { table, sizeMs } of ROLLUPS) {
      const bucket = cutoff - (cutoff % sizeMs);
      if (bucket === cutoff) continue;
      const agg = await tx.get<Record<string, unknown>>(aggregateQuery(targetId, bucket, cutoff).append(lock));
      if (!agg || num(agg.attempts) === 0) continue;
      const a = Object.fromEntries(COUNTS.map((c) => [c, num(agg[c])])) as Aggregate;
      a.connect_sum = num(agg.connect_sum);
      a.connect_min = orNull(agg.connect_min);
      a.connect_max = orNull(agg.connect_max);
      gone.push({ table, bucket, end: bucket + sizeMs, agg: a });
    }
    if (gone.length === 0) return 0;
    let deleted = (await tx.run(SQL`DELETE FROM results WHERE target_id = ${targetId} AND started_at >= ${from} AND started_at < ${cutoff}`)).changes;
    for (const g of gone) deleted += await subtract(tx, g.table, targetId, g.bucket, g.end, g.agg);
    return deleted;
  });
}
