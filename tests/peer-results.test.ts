/**
 * A node's live dashboard follows the other nodes' results (live/peer-results.ts, issue 10): rows
 * another node stored reach the latest-result map within a read, this node's own rows are left
 * to its probes, and a writer's rows that commit after rows with higher ids are still read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { LatestResults } from '../src/actors/latest-results.js';
import { PeerResults } from '../src/live/peer-results.js';
import type { ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { insertResults } from '../src/store/results.js';
import { createTarget } from '../src/store/targets.js';
import { STORES } from './helpers/stores.js';

const log = pino({ level: 'silent' });
const r = (targetId: number, startedAt: number, node: string, outcome: ProbeResult['outcome'] = 'success'): ProbeResult => ({
  targetId,
  startedAt,
  outcome,
  connectMs: outcome === 'success' ? 2 : null,
  dnsMs: null,
  address: '127.0.0.1',
  localPort: 40000,
  errorCode: outcome === 'success' ? null : 'ECONNREFUSED',
  location: 'default',
  node,
});

describe.each(STORES)('other nodes’ results on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let ids: number[];
  let clock = 1_000_000;
  beforeAll(async () => {
    ({ db, cleanup } = await store.open());
    const base = { host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' as const };
    ids = [];
    for (const name of ['a', 'b']) ids.push((await createTarget(db, { ...base, name }, Date.now())).id);
  });
  afterAll(async () => cleanup());
  /** A latest-result map fed by a started follower for node n1, on the test's clock. */
  const follow = async () => {
    const map = new LatestResults();
    const peers = new PeerResults(
      db,
      'n1',
      (x) => map.record(x),
      log,
      () => clock,
    );
    await peers.start();
    return { map, peers };
  };

  it('records what other nodes stored since it started, not its own rows nor older ones', async () => {
    const [a, b] = ids as [number, number];
    await insertResults(db, [r(a, 100, 'n2')]); // before the follower starts: the snapshot's seed reads it
    const { map, peers } = await follow();
    try {
      await insertResults(db, [r(a, 1000, 'n2', 'refused'), r(b, 1000, 'n1'), r(a, 900, 'n3')]);
      expect(await peers.poll()).toBe(2);
      expect(map.get(a)).toMatchObject({ startedAt: 1000, outcome: 'refused', node: 'n2' });
      expect(map.get(b)).toBeUndefined(); // this node's own row: its probe recorded it already
      clock += 500;
      expect(await peers.poll()).toBe(2); // within the lookback window the same rows are read again, changing nothing
      clock += 5000;
      expect(await peers.poll()).toBe(0);
    } finally {
      peers.stop();
    }
  });

  it.runIf(store.name !== 'sqlite')('reads a writer’s rows that commit after rows with higher ids', async () => {
    const [a, b] = ids as [number, number];
    const { map, peers } = await follow();
    try {
      let release!: () => void;
      const held = new Promise<void>((res) => (release = res));
      let inserted!: () => void;
      const insertedP = new Promise<void>((res) => (inserted = res));
      const slow = db.tx(async (t) => {
        await insertResults(t, [r(a, 5000, 'n2', 'timeout')]); // takes the lower id, commits last
        inserted();
        await held;
      });
      await insertedP;
      await insertResults(db, [r(b, 5000, 'n3')]);
      clock += 100;
      await peers.poll();
      expect(map.get(b)?.startedAt).toBe(5000);
      expect(map.get(a)).toBeUndefined();
      release();
      await slow;
      clock += 500;
      await peers.poll();
      expect(map.get(a)).toMatchObject({ startedAt: 5000, outcome: 'timeout' });
    } finally {
      peers.stop();
    }
  });
});
