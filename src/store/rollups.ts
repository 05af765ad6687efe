/**
 * Rollups: per-target aggregates of results in 1-minute, 5-minute and 1-hour buckets, so long history
 * ranges and dashboard ratios never scan raw rows. The writer stores a batch's raw rows and its
 * rollup increments in one transaction; {@link rebuildRollups} recomputes them from raw rows.
 */
import { SQL } from 'sql-template-strings';
import type { ProbeResult } from '../domain/types.js';
import type { Db } from './db.js';
import { appendOutcomeCounts, zeroCounts } from './outcome-columns.js';
import { insertResults } from './results.js';
import { byResultKey, ROLLUP_COLUMNS, ROLLUPS, type RollupRow } from './rows.js';

/** A row with no attempts yet for (target, bucket). */
function emptyRow(targetId: number, bucket: number): RollupRow {
  return { targetId, bucket, attempts: 0, successes: 0, connectSum: 0, connectCount: 0, connectMin: null, connectMax: null, outcomes: zeroCounts() };
}

/**
 * Aggregates results already in (target, start) order into increments for buckets of `sizeMs`, one
 * row per (target, bucket), in primary-key order: a (target, bucket)'s results are next to each
 * other, so one pass groups them without a key per result (issue 12 §3).
 */
function rollupRows(sorted: readonly ProbeResult[], sizeMs: number): RollupRow[] {
  const rows: RollupRow[] = [];
  let row: RollupRow | null = null;
  for (const r of sorted) {
    const bucket = r.startedAt - (r.startedAt % sizeMs);
    if (row === null || row.targetId !== r.targetId || row.bucket !== bucket) rows.push((row = emptyRow(r.targetId, bucket)));
    row.attempts++;
    if (r.outcome === 'success') row.successes++;
    else row.outcomes[r.outcome]++;
    if (r.connectMs != null) {
      row.connectSum += r.connectMs;
      row.connectCount++;
      row.connectMin = row.connectMin === null ? r.connectMs : Math.min(row.connectMin, r.connectMs);
      row.connectMax = row.connectMax === null ? r.connectMs : Math.max(row.connectMax, r.connectMs);
    }
  }
  // primary-key order is one lock order for every writer: several nodes add to the same buckets of a
  // target probed from several locations, and upserts taking rows in different orders deadlock (issue 10)
  return rows;
}

/**
 * Stores a batch: raw rows and rollup increments in one transaction (all or nothing), each in
 * primary-key order. Increments stay additive (counts and sums added, min/max combined), so
 * several writers (nodes) adding to the same bucket at once stay exact.
 * @throws the driver's error; nothing of the batch is stored then
 */
export async function storeBatch(db: Db, batch: readonly ProbeResult[]): Promise<void> {
  const sorted = byResultKey(batch);
  await db.tx(async (tx) => {
    await insertResults(tx, sorted);
    for (const { table, sizeMs } of ROLLUPS) await tx.upsertRollups(table, rollupRows(sorted, sizeMs));
  });
}

/**
 * Recomputes every rollup row from the raw results (after rollups were lost or the rollup
 * migration ran on an existing database). Runs in one transaction.
 */
export async function rebuildRollups(db: Db): Promise<void> {
  await db.tx(async (tx) => {
    for (const { table, sizeMs } of ROLLUPS) {
      await tx.run(SQL`DELETE FROM `.append(table));
      const q = SQL`INSERT INTO `.append(table).append(` ${ROLLUP_COLUMNS} `).append(SQL`SELECT target_id, started_at - (started_at % ${sizeMs}) AS b, COUNT(*),
            SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END), COALESCE(SUM(connect_ms), 0), COUNT(connect_ms),
            MIN(connect_ms), MAX(connect_ms)`);
      await tx.run(appendOutcomeCounts(q, false).append(' FROM results GROUP BY target_id, b'));
    }
  });
}

/** True when results exist but no rollups do (rollups lost, or first start after the migration). */
export async function rollupsMissing(db: Db): Promise<boolean> {
  const raw = await db.get(SQL`SELECT 1 AS x FROM results LIMIT 1`);
  const rolled = await db.get(SQL`SELECT 1 AS x FROM results_1m LIMIT 1`);
  return Boolean(raw) && !rolled;
}

/**
 * Deletes rollup buckets of one target that end at or before `before` (UTC epoch ms),
 * matching the raw rows' retention; @returns rows deleted.
 */
export async function purgeRollups(db: Db, targetId: number, before: number): Promise<number> {
  let n = 0;
  for (const { table, sizeMs } of ROLLUPS) {
    // a non-locking read first: a DELETE over an empty range would gap-lock where the writer adds buckets (purge.ts)
    const oldest = await db.get<{ b: number | null }>(SQL`SELECT MIN(bucket) AS b FROM `.append(table).append(SQL` WHERE target_id = ${targetId}`));
    if (oldest?.b == null || Number(oldest.b) > before - sizeMs) continue;
    const q = SQL`DELETE FROM `.append(table).append(SQL` WHERE target_id = ${targetId} AND bucket <= ${before - sizeMs}`);
    n += (await db.run(q)).changes;
  }
  return n;
}

/**
 * Target ids that have rollups. Every raw row lies in a 1-hour bucket that is purged no earlier
 * than the row, so this also lists every target with raw results, without scanning them.
 */
export async function rolledTargetIds(db: Db): Promise<number[]> {
  return (await db.all<{ target_id: number }>(SQL`SELECT DISTINCT target_id FROM results_1h`)).map((r) => Number(r.target_id));
}
