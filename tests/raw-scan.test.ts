/**
 * Issue 13 on every store: the read of raw rows for aggregation (store/raw-scan.ts: packed per
 * hour on SQLite, rows on MariaDB) gives exactly the rows as stored, in started_at order: outcome
 * codes (an unknown outcome reads as `error`), connect times in whole µs (none: NaN), ranges over
 * several hours and over more than one statement (30 hours), and a location filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import { OUTCOMES, type ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { scanRaw, type RawScan } from '../src/store/raw-scan.js';
import { storeBatch } from '../src/store/rollups.js';
import { createTarget } from '../src/store/targets.js';
import { STORES } from './helpers/stores.js';

const T0 = Date.UTC(2026, 10, 3, 0, 0, 0);
const H = 3_600_000;

/** The scan as plain rows: [started_at, outcome, connect µs | null]. */
const rowsOf = (s: RawScan) => Array.from({ length: s.n }, (_, i) => [s.t[i], OUTCOMES[s.code[i]!], Number.isNaN(s.connectUs[i]) ? null : s.connectUs[i]]);

describe.each(STORES)('packed raw rows on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let id: number;
  const expected: [number, string, number | null][] = [];
  beforeAll(async () => {
    ({ db, cleanup } = await store.open());
    id = (await createTarget(db, { name: 'scan', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year' }, T0)).id;
    const rows: ProbeResult[] = [];
    // 30 hours, a probe every 7 minutes and 13 s; every 5th refused; connect times on the µs grid
    for (let t = T0 + 1, k = 0; t < T0 + 30 * H; t += 433_000, k++) {
      const outcome = k % 5 === 0 ? 'refused' : 'success';
      const connectMs = outcome === 'success' ? ((k * 7919) % 250_000) / 1000 : null;
      rows.push({ targetId: id, startedAt: t, outcome, connectMs, dnsMs: null, address: '127.0.0.1', localPort: 40_000 + k, errorCode: connectMs === null ? 'ECONNREFUSED' : null });
      expected.push([t, outcome, connectMs === null ? null : Math.round(connectMs * 1000)]);
    }
    // rows written out of time order, as two nodes' writers would
    await storeBatch(db, rows.slice(100));
    await storeBatch(db, rows.slice(0, 100));
  });
  afterAll(async () => cleanup());

  it('reads every row of a range, in order, with outcome codes and µs', async () => {
    expect(rowsOf(await scanRaw(db, id, T0, T0 + 30 * H))).toEqual(expected);
    const part = expected.filter(([t]) => t >= T0 + 2 * H + 5 && t < T0 + 5 * H);
    expect(rowsOf(await scanRaw(db, id, T0 + 2 * H + 5, T0 + 5 * H))).toEqual(part);
    expect((await scanRaw(db, id, T0 + 5 * H, T0 + 5 * H)).n).toBe(0);
    expect((await scanRaw(db, id + 1000, T0, T0 + 30 * H)).n).toBe(0);
  });

  it('reads an outcome it does not know as error, and filters by location', async () => {
    const other = (await createTarget(db, { name: 'scan-2', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year' }, T0)).id;
    await db.run(SQL`INSERT INTO results (target_id, started_at, outcome, connect_ms, address, local_port, local_address, error_code, location)
      VALUES (${other}, ${T0 + 10}, ${'blocked'}, ${null}, ${'127.0.0.1'}, ${1}, ${'127.0.0.1'}, ${'E'}, ${'hub-a'}),
             (${other}, ${T0 + 20}, ${'success'}, ${0.5}, ${'127.0.0.1'}, ${2}, ${'127.0.0.1'}, ${null}, ${'hub-b'})`);
    expect(rowsOf(await scanRaw(db, other, T0, T0 + H))).toEqual([
      [T0 + 10, 'error', null],
      [T0 + 20, 'success', 500],
    ]);
    expect(rowsOf(await scanRaw(db, other, T0, T0 + H, 'hub-b'))).toEqual([[T0 + 20, 'success', 500]]);
  });
});
