/**
 * A transaction's handle: every method of the handle `db.tx` passes runs inside that transaction
 * (its writes are rolled back with it) and none waits for the transaction itself to end, which
 * would never happen (on SQLite the outer handle queues behind a running transaction).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import type { ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { zeroCounts } from '../src/store/outcome-columns.js';
import { createTarget } from '../src/store/targets.js';
import { STORES } from './helpers/stores.js';

const r = (targetId: number, startedAt: number): ProbeResult => ({ targetId, startedAt, outcome: 'success', connectMs: 1, dnsMs: null, address: '127.0.0.1', localPort: 1, errorCode: null });

/** `p`, or a rejection naming `what` when it has not settled within 2 s (it waits on its own transaction). */
const soon = <T>(what: string, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} waited on its own transaction`)), 2000).unref())]);

const count = async (db: Db, table: string) => Number((await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM `.append(table)))!.n);

describe.each(STORES)('transaction handle on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let id: number;
  beforeAll(async () => {
    ({ db, cleanup } = await store.open());
    id = (await createTarget(db, { name: 'tx', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' }, Date.now())).id;
    await db.insertResults([r(id, 1000), r(id, 2000)]);
  });
  afterAll(() => cleanup());

  it('runs every method inside the transaction, without waiting for it, and rolls all of it back', async () => {
    const rollback = new Error('roll back');
    const seen: Record<string, unknown> = {};
    await expect(
      db.tx(async (tx) => {
        seen.deleted = await soon('deleteResultsChunk', tx.deleteResultsChunk(id, 1500, 10));
        await soon('insertResults', tx.insertResults([r(id, 3000), r(id, 4000)]));
        await soon(
          'upsertRollups',
          tx.upsertRollups('results_1m', [{ targetId: id, bucket: 0, attempts: 1, successes: 1, connectSum: 1, connectCount: 1, connectMin: 1, connectMax: 1, outcomes: zeroCounts() }]),
        );
        await soon('execScript', tx.execScript(`UPDATE targets SET name = 'renamed' WHERE id = ${id};`));
        seen.nested = await soon(
          'tx',
          tx.tx((t) => t.get<{ name: string }>(SQL`SELECT name FROM targets WHERE id = ${id}`)),
        );
        seen.writer = await soon('forWriter', tx.forWriter().get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM results WHERE target_id = ${id}`));
        seen.locked = await soon(
          'withMigrationLock',
          tx.withMigrationLock((m) => m.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM results_1m`)),
        );
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(seen.deleted).toBe(1);
    expect((seen.nested as { name: string }).name).toBe('renamed');
    expect(Number((seen.writer as { n: number }).n)).toBe(3);
    expect(Number((seen.locked as { n: number }).n)).toBe(1);
    // nothing of it stayed
    expect(await count(db, 'results')).toBe(2);
    expect(await count(db, 'results_1m')).toBe(0);
    expect((await db.get<{ name: string }>(SQL`SELECT name FROM targets WHERE id = ${id}`))!.name).toBe('tx');
  });
});
