/** Retention: cut-off arithmetic per unit, and the purge on every store at the boundary. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import { purgeHistory } from '../src/actors/purge.js';
import { retentionCutoff } from '../src/domain/retention.js';
import type { ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { storeBatch } from '../src/store/rollups.js';
import { createTarget, deleteTarget } from '../src/store/targets.js';
import { RETENTION_UNITS } from '../src/domain/target-rules.js';
import { STORES } from './helpers/stores.js';

const NOW = Date.UTC(2026, 2, 31, 12, 0, 0); // 31 March: month arithmetic has to clamp
const expected: Record<string, number> = {
  minute: NOW - 2 * 60_000,
  hour: NOW - 2 * 3_600_000,
  day: NOW - 2 * 86_400_000,
  week: NOW - 14 * 86_400_000,
  month: Date.UTC(2026, 0, 31, 12),
  quarter: Date.UTC(2025, 9, 1, 12), // 31 September does not exist: 1 October
  year: Date.UTC(2024, 2, 31, 12),
};

describe('retention cut-off', () => {
  it.each(RETENTION_UNITS.map((u) => [u]))('2 × %s', (unit) => {
    expect(new Date(retentionCutoff(NOW, 2, unit)).toISOString()).toBe(new Date(expected[unit]!).toISOString());
  });
});

const row = (targetId: number, startedAt: number): ProbeResult => ({
  targetId, startedAt, outcome: 'success', connectMs: 1, dnsMs: null, address: '127.0.0.1', localPort: 1, errorCode: null,
});
const count = async (db: Db, table: string, id: number) =>
  Number((await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM `.append(table).append(SQL` WHERE target_id = ${id}`)))!.n);

describe.each(STORES)('purge on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await store.open()));
  afterAll(async () => cleanup());

  it.each(RETENTION_UNITS.map((u) => [u]))('keeps results at the %s cut-off and deletes the ones before it', async (unit) => {
    const t = await createTarget(db, { name: unit, host: '127.0.0.1', port: 9, intervalSeconds: 60, timeoutMs: null, retentionValue: 2, retentionUnit: unit }, NOW);
    const cutoff = retentionCutoff(NOW, 2, unit);
    await storeBatch(db, [row(t.id, cutoff - 3_600_000 * 24 * 3), row(t.id, cutoff - 1), row(t.id, cutoff), row(t.id, cutoff + 1), row(t.id, NOW - 1)]);
    await purgeHistory(db, NOW);
    const left = await db.all<{ started_at: number }>(SQL`SELECT started_at FROM results WHERE target_id = ${t.id} ORDER BY started_at`);
    expect(left.map((r) => Number(r.started_at))).toEqual([cutoff, cutoff + 1, NOW - 1]);
    const buckets = await db.all<{ bucket: number }>(SQL`SELECT bucket FROM results_1m WHERE target_id = ${t.id}`);
    expect(buckets.every((b) => Number(b.bucket) + 60_000 > cutoff)).toBe(true);
    expect(buckets.length).toBeGreaterThan(0);
  });

  it('deletes every result of a deleted target, in chunks', async () => {
    const t = await createTarget(db, { name: 'gone', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year' }, NOW);
    const rows = Array.from({ length: 12_000 }, (_, i) => row(t.id, NOW - i * 1000));
    for (let i = 0; i < rows.length; i += 1000) await storeBatch(db, rows.slice(i, i + 1000));
    await deleteTarget(db, t.id);
    expect(await purgeHistory(db, NOW)).toBeGreaterThanOrEqual(12_000);
    expect(await count(db, 'results', t.id)).toBe(0);
    expect(await count(db, 'results_1m', t.id)).toBe(0);
    expect(await count(db, 'results_1h', t.id)).toBe(0);
  });
});
