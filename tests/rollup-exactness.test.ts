/**
 * Rollups stay exact after the writer's aggregation (issue 12 §3): results arriving in slot order
 * (not by target), stored through the real writer in small flushes that cut buckets apart, and by
 * two writers (two connections, as two nodes) adding to the same buckets at once, give the same
 * rollup rows as a rebuild from the raw rows. Every store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { start, stop } from 'nact';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { spawnWriter } from '../src/actors/writer.js';
import { FAILURE_OUTCOMES, type ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { openMysql } from '../src/store/mysql.js';
import { openSqlite } from '../src/store/sqlite.js';
import { rebuildRollups, storeBatch } from '../src/store/rollups.js';
import { ROLLUPS } from '../src/store/rows.js';
import { createTarget } from '../src/store/targets.js';
import { STORES } from './helpers/stores.js';

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);

/** Seeded results of `targets`, one per target per `stepMs` from T0 around minute and hour edges, in slot order. */
function results(targets: readonly number[], count: number, seed: number): ProbeResult[] {
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: ProbeResult[] = [];
  for (let k = 0; out.length < count; k++) {
    // slots straddle an hour edge (T0 + 1 h) and many minute edges; targets come in a fixed shuffled order
    const second = T0 + 3_600_000 - 90_000 + k * 1000;
    for (const id of targets) {
      const outcome = rand() < 0.6 ? 'success' : FAILURE_OUTCOMES[Math.floor(rand() * FAILURE_OUTCOMES.length)]!;
      const connectMs = outcome === 'success' ? Math.round(rand() * 50_000) / 1000 : null;
      out.push({ targetId: id, startedAt: second + ((id * 397) % 1000), outcome, connectMs, dnsMs: null, address: '127.0.0.1', localPort: 40000, errorCode: connectMs === null ? 'E' : null });
    }
  }
  return out.slice(0, count);
}

/** Every rollup row of the given targets, ordered, with connect_sum rounded (float sums differ in order of addition). */
async function rollups(db: Db, ids: readonly number[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const { table } of ROLLUPS) {
    const rows = await db.all<Record<string, unknown>>(SQL`SELECT * FROM `.append(table).append(SQL` WHERE target_id IN (${ids[0]}, ${ids[1]}, ${ids[2]}) ORDER BY target_id, bucket`));
    for (const r of rows) {
      const row: Record<string, unknown> = { table };
      for (const [k, v] of Object.entries(r)) row[k] = v === null ? null : k === 'connect_sum' ? Math.round(Number(v) * 1000) / 1000 : Number(v);
      out.push(row);
    }
  }
  return out;
}

/** Rollups of `ids` as stored, then as rebuilt from the raw rows; they must be equal. */
async function storedAndRebuilt(db: Db, ids: readonly number[]): Promise<[unknown[], unknown[]]> {
  const stored = await rollups(db, ids);
  await rebuildRollups(db);
  return [stored, await rollups(db, ids)];
}

describe.each(STORES)('rollup exactness on $name', (store) => {
  let db: Db;
  let config: { mysql: import('../src/config.js').MysqlConfig | null; dataDir: string };
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, config, cleanup } = await store.open()));
  afterAll(async () => cleanup());

  const targets = async (prefix: string) => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await createTarget(db, { name: `${prefix}${i}`, host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year' }, T0)).id);
    return ids;
  };

  it('the real writer, flushing every 7 results in slot order and restarted halfway, stores rollups equal to a rebuild from raw rows', async () => {
    const ids = await targets('writer');
    const batch = results([ids[2]!, ids[0]!, ids[1]!], 600, 7);
    // two writer lifetimes (a restart in the middle of buckets), each drained at its end
    for (const part of [batch.slice(0, 301), batch.slice(301)]) {
      const system = start();
      const writer = spawnWriter(system, db, pino({ level: 'silent' }), { batchSize: 7, maxBuffered: 100_000, flushEveryMs: 20, maxBackoffMs: 100 });
      for (const r of part) writer.submit(r);
      await writer.drain(performance.now() + 30_000);
      stop(system);
      expect(writer.stats.written).toBe(part.length);
    }
    const [stored, rebuilt] = await storedAndRebuilt(db, ids);
    // 200 s across an hour edge: 4 minute, 2 five-minute and 2 hour buckets per target
    expect(stored).toHaveLength(3 * 8);
    expect(stored).toEqual(rebuilt);
  });

  it('two writers on their own connections adding to the same buckets at once stay exact', async () => {
    const ids = await targets('pair');
    const all = results(ids, 1200, 11);
    // a second handle on the same store: a second connection pool (MariaDB) or connection (SQLite)
    const other = config.mysql ? await openMysql(config.mysql) : openSqlite(join(config.dataDir, 'netwatch.db'));
    try {
      const write = async (handle: Db, part: ProbeResult[]) => {
        for (let i = 0; i < part.length; i += 50) {
          // a busy store (SQLite's lock, a MariaDB deadlock) fails the flush whole; the writer retries it
          for (let attempt = 0; ; attempt++) {
            try {
              await storeBatch(handle, part.slice(i, i + 50));
              break;
            } catch (err) {
              if (attempt > 50) throw err;
              await new Promise((r) => setTimeout(r, 5));
            }
          }
        }
      };
      // odd and even slots: each writer adds to every bucket the other one does
      await Promise.all([
        write(
          db,
          all.filter((_, i) => i % 2 === 0),
        ),
        write(
          other,
          all.filter((_, i) => i % 2 === 1),
        ),
      ]);
    } finally {
      await other.close();
    }
    const raw = await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM results WHERE target_id IN (${ids[0]}, ${ids[1]}, ${ids[2]})`);
    expect(Number(raw?.n)).toBe(1200);
    const [stored, rebuilt] = await storedAndRebuilt(db, ids);
    expect(stored).toEqual(rebuilt);
  });
});
