/**
 * Rollups: per-target aggregates of results in 1-minute and 1-hour buckets, so long history
 * ranges and dashboard ratios never scan raw rows. The writer stores a batch's raw rows and its
 * rollup increments in one transaction; {@link rebuildRollups} recomputes them from raw rows.
 */
import { SQL } from 'sql-template-strings';
import { FAILURE_OUTCOMES, UNMEASURED_OUTCOMES, type FailureOutcome, type ProbeResult } from '../domain/types.js';
import { ROLLUP_COLUMNS, type Db } from './db.js';
import { insertResults } from './results.js';

/** The rollup tables and their bucket size, ms. */
export const ROLLUPS = [
  { table: 'results_1m', sizeMs: 60_000 },
  { table: 'results_1h', sizeMs: 3_600_000 },
] as const;
/** Name of a rollup table. */
export type RollupTable = (typeof ROLLUPS)[number]['table'];

/**
 * SQL expression over one rollup row: its attempts that measured the target (`attempts` minus the
 * UNMEASURED_OUTCOMES columns, e.g. `attempts - local_error`), the denominator of success ratios.
 */
export const MEASURED_SQL = ['attempts', ...UNMEASURED_OUTCOMES].join(' - ');

/**
 * One rollup increment: what a batch adds to one (target, bucket): attempts, successes, connect
 * time sums (ms) over attempts with a handshake, and one count per failure outcome.
 */
export type RollupRow = {
  targetId: number;
  bucket: number;
  attempts: number;
  successes: number;
  connectSum: number;
  connectCount: number;
  connectMin: number | null;
  connectMax: number | null;
} & Record<FailureOutcome, number>;

/** A row with no attempts yet for (target, bucket). */
function emptyRow(targetId: number, bucket: number): RollupRow {
  const row = { targetId, bucket, attempts: 0, successes: 0, connectSum: 0, connectCount: 0, connectMin: null, connectMax: null } as RollupRow;
  for (const o of FAILURE_OUTCOMES) row[o] = 0;
  return row;
}

/** Aggregates a batch of results into increments for buckets of `sizeMs`. */
export function rollupRows(batch: readonly ProbeResult[], sizeMs: number): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const r of batch) {
    const bucket = r.startedAt - (r.startedAt % sizeMs);
    const key = `${r.targetId}:${bucket}`;
    let row = rows.get(key);
    if (!row) {
      row = emptyRow(r.targetId, bucket);
      rows.set(key, row);
    }
    row.attempts++;
    if (r.outcome === 'success') row.successes++;
    else row[r.outcome]++;
    if (r.connectMs != null) {
      row.connectSum += r.connectMs;
      row.connectCount++;
      row.connectMin = row.connectMin === null ? r.connectMs : Math.min(row.connectMin, r.connectMs);
      row.connectMax = row.connectMax === null ? r.connectMs : Math.max(row.connectMax, r.connectMs);
    }
  }
  // one lock order for every writer: several nodes add to the same buckets of a target probed from
  // several locations, and upserts taking rows in different orders deadlock (issue 10)
  return [...rows.values()].sort((a, b) => a.targetId - b.targetId || a.bucket - b.bucket);
}

/**
 * Stores a batch: raw rows and rollup increments in one transaction (all or nothing).
 * @throws the driver's error; nothing of the batch is stored then
 */
export async function storeBatch(db: Db, batch: readonly ProbeResult[]): Promise<void> {
  await db.tx(async (tx) => {
    await insertResults(tx, batch);
    for (const { table, sizeMs } of ROLLUPS) await tx.upsertRollups(table, rollupRows(batch, sizeMs));
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
      const q = SQL`INSERT INTO `
        .append(table)
        .append(` ${ROLLUP_COLUMNS} `)
        .append(SQL`SELECT target_id, started_at - (started_at % ${sizeMs}) AS b, COUNT(*),
            SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END), COALESCE(SUM(connect_ms), 0), COUNT(connect_ms),
            MIN(connect_ms), MAX(connect_ms)`);
      for (const o of FAILURE_OUTCOMES) q.append(SQL`, SUM(CASE WHEN outcome = ${o} THEN 1 ELSE 0 END)`);
      await tx.run(q.append(' FROM results GROUP BY target_id, b'));
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
