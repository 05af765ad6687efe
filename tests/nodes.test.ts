/**
 * Probe nodes (issue 10): the `nodes` table on every store (registration, duplicate live names
 * refused, heartbeats, removal of down rows through the API), the rendezvous assignment rule,
 * and two coordinators on one MySQL database splitting the targets of their location.
 */
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_AFTER_MS, isMember, isUp, nextMembershipChange, ownerOf } from '../src/domain/nodes.js';
import type { Target } from '../src/domain/types.js';
import { joinNodes, JOIN_DELAY_MS } from '../src/nodes/coordinator.js';
import { deleteNode, heartbeat, listNodes, markStopping, NodeNameInUseError, readDbClock, registerNode } from '../src/store/nodes.js';
import { createTarget, listEnabledTargets } from '../src/store/targets.js';
import { storeBatch } from '../src/store/rollups.js';
import { testApp } from './helpers/app.js';
import { bootstrapUsers } from '../src/auth/bootstrap.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const log = pino({ level: 'silent' });
const figures = { targetsAssigned: 3, lagP99Ms: 1.5, writerBuffered: 2, writerDropped: 0 };

describe('assignment rule (rendezvous hashing)', () => {
  const ids = Array.from({ length: 3000 }, (_, i) => i + 1);
  const owners = (members: string[]) => new Map(ids.map((id) => [id, ownerOf(id, 'a', members)]));

  it('is the same whatever order the members are listed in, and null with none', () => {
    expect(ids.every((id) => ownerOf(id, 'a', ['a1', 'a2', 'a3']) === ownerOf(id, 'a', ['a3', 'a1', 'a2']))).toBe(true);
    expect(ownerOf(1, 'a', [])).toBeNull();
  });

  it('spreads targets evenly (within ±10 % of a fair share for 3,000 targets)', () => {
    const counts = new Map<string, number>();
    for (const o of owners(['a1', 'a2', 'a3']).values()) counts.set(o!, (counts.get(o!) ?? 0) + 1);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(100);
  });

  it('moves only what it must: a joining node takes about 1/n, a leaving node gives away only its own', () => {
    const two = owners(['a1', 'a2']);
    const three = owners(['a1', 'a2', 'a3']);
    let moved = 0;
    for (const id of ids) {
      if (two.get(id) !== three.get(id)) {
        expect(three.get(id)).toBe('a3'); // a target only moves to the newcomer
        moved++;
      }
    }
    expect(moved / ids.length).toBeGreaterThan(0.28);
    expect(moved / ids.length).toBeLessThan(0.39);
    const left = owners(['a1', 'a3']);
    for (const id of ids) if (three.get(id) !== 'a2') expect(left.get(id)).toBe(three.get(id));
  });

  it('a location and a target id both change the winner independently', () => {
    const a = ids.filter((id) => ownerOf(id, 'a', ['n1', 'n2']) === 'n1').length;
    const same = ids.filter((id) => ownerOf(id, 'a', ['n1', 'n2']) === ownerOf(id, 'b', ['n1', 'n2'])).length;
    expect(a).toBeGreaterThan(1300);
    expect(same).toBeGreaterThan(1300);
    expect(same).toBeLessThan(1700);
  });

  it('liveness: up within 10 s of the heartbeat and before a clean stop; member only after the join delay', () => {
    const n = { activeFrom: 2000, heartbeatAt: 1000, stoppedAt: null };
    expect(isUp(n, 1000 + DEAD_AFTER_MS - 1)).toBe(true);
    expect(isUp(n, 1000 + DEAD_AFTER_MS)).toBe(false);
    expect([isMember(n, 1999), isMember(n, 2000)]).toEqual([false, true]);
    expect(isUp({ ...n, stoppedAt: 5000 }, 5000)).toBe(false);
    expect(nextMembershipChange([n, { ...n, activeFrom: 0, stoppedAt: 3000 }], 1500)).toBe(2000);
    expect(nextMembershipChange([n], 2500)).toBeNull();
  });
});

describe.each(STORES)('nodes table on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db, { env: { NETWATCH_NODE_NAME: 'live1', NETWATCH_LOCATION: 'b' } });
  });
  afterAll(() => s.cleanup());

  it('several nodes starting at once with ROOT_USER all start (the root user is created once)', async () => {
    const cfg = { rootUser: { username: 'rooty', password: 'long enough pw' } };
    await Promise.all([1, 2, 3].map(() => bootstrapUsers(s.db, cfg, log, Date.now())));
    expect((await s.db.all(SQL`SELECT id FROM users WHERE username = 'rooty'`)).length).toBe(1);
  });

  it('the database clock is UTC epoch ms', async () => {
    expect(Math.abs((await readDbClock(s.db)) - Date.now())).toBeLessThan(2000);
  });

  it('registers; a second process with a live name is refused with a clear error; a stopped or dead one is taken over', async () => {
    const id = { name: 'n1', location: 'a', version: '1.2.3' };
    const first = await registerNode(s.db, id, 2000);
    // alone in its location: counts at once; a second node of the location waits the join delay
    expect(first.activeFrom - first.startedAt).toBe(0);
    const peer = await registerNode(s.db, { ...id, name: 'n1-peer' }, 2000);
    expect(peer.activeFrom - peer.startedAt).toBe(2000);
    await markStopping(s.db, 'n1-peer', peer.instance, 0);
    const err = await registerNode(s.db, id, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeNameInUseError);
    expect((err as Error).message).toMatch(/node name "n1" is in use by a live NetWatch node .*NETWATCH_NODE_NAME/);
    expect(await heartbeat(s.db, 'n1', first.instance, figures)).toBe(true);
    expect(await markStopping(s.db, 'n1', first.instance, 0)).not.toBeNull();
    const second = await registerNode(s.db, id, 0);
    // the first process's heartbeat no longer touches the row
    expect(await heartbeat(s.db, 'n1', first.instance, figures)).toBe(false);
    expect(await heartbeat(s.db, 'n1', second.instance, figures)).toBe(true);
    await s.db.run(SQL`UPDATE nodes SET heartbeat_at = heartbeat_at - ${DEAD_AFTER_MS} WHERE name = 'n1'`);
    const third = await registerNode(s.db, id, 0);
    expect(third.instance).not.toBe(second.instance);
    // the holder of the store alone (SQLite's folder lock) takes over its own live row: a restart after kill -9
    const fourth = await registerNode(s.db, id, 0, true);
    expect(await heartbeat(s.db, 'n1', third.instance, figures)).toBe(false);
    expect(await heartbeat(s.db, 'n1', fourth.instance, figures)).toBe(true);
    const { now, nodes } = await listNodes(s.db);
    expect(nodes.filter((n) => n.name === 'n1')).toEqual([expect.objectContaining({ name: 'n1', location: 'a', version: '1.2.3', store: s.db.dialect, stoppedAt: null, targetsAssigned: 3 })]);
    expect(
      isUp(
        nodes.find((n) => n.name === 'n1')!,
        now,
      ),
    ).toBe(true);
  });

  it('GET /api/nodes lists rows with up/down; DELETE removes only a down row (409 up, 404 unknown)', async () => {
    const live = await registerNode(s.db, { name: 'live1', location: 'b', version: 'v' }, 0);
    await heartbeat(s.db, 'live1', live.instance, figures);
    await registerNode(s.db, { name: 'gone1', location: 'b', version: 'v' }, 0);
    await s.db.run(SQL`UPDATE nodes SET heartbeat_at = heartbeat_at - 30000 WHERE name = 'gone1'`);
    const c = app.client();
    expect((await c.req('GET', '/api/nodes')).status).toBe(401);
    await c.login('admin', 'correct horse');
    const r = await c.req('GET', '/api/nodes');
    expect(r.status).toBe(200);
    expect(r.json.single).toBe(s.db.dialect === 'sqlite');
    const byName = Object.fromEntries((r.json.nodes as { name: string; heartbeatAgeMs: number }[]).map((n) => [n.name, n]));
    expect(byName.live1).toMatchObject({ up: true, location: 'b', targetsAssigned: 3, lagP99Ms: 1.5, writerBuffered: 2, writerDropped: 0 });
    expect(byName.gone1).toMatchObject({ up: false });
    expect(byName.gone1!.heartbeatAgeMs).toBeGreaterThanOrEqual(30_000);
    expect((await c.req('DELETE', '/api/nodes/live1')).status).toBe(409);
    expect((await c.req('DELETE', '/api/nodes/gone1')).status).toBe(204);
    expect((await c.req('DELETE', '/api/nodes/gone1')).status).toBe(404);
    expect(await deleteNode(s.db, 'live1')).toBe('live');
  });

  it('the target rules take locations: a list of distinct names, empty = default; bad input is a per-field 4xx', async () => {
    const c = app.client();
    await c.login('admin', 'correct horse');
    const body = { name: 'loc', host: '127.0.0.1', port: 9, intervalSeconds: 5, retentionValue: 1, retentionUnit: 'day' };
    const made = await c.req('POST', '/api/targets', { ...body, locations: ['a', 'b'] });
    expect(made.status).toBe(201);
    expect(made.json.locations).toEqual(['a', 'b']);
    expect((await c.req('POST', '/api/targets', body)).json.locations).toEqual([]);
    // a partial edit keeps the stored locations; an explicit list replaces them
    expect((await c.req('PUT', `/api/targets/${made.json.id}`, { name: 'renamed' })).json.locations).toEqual(['a', 'b']);
    expect((await c.req('PUT', `/api/targets/${made.json.id}`, { locations: ['b'] })).json.locations).toEqual(['b']);
    expect((await c.req('PUT', `/api/targets/${made.json.id}`, { locations: ['a', 'b'] })).json.locations).toEqual(['a', 'b']);
    const bad = await c.req('POST', '/api/targets', { ...body, locations: ['a', 'a', 'x y'] });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.fields)).toEqual(['locations']);
    expect((await c.req('GET', `/api/targets/${made.json.id}/results?location=a%2Fb`)).status).toBe(400);
    expect((await c.req('GET', `/api/targets/${made.json.id}/results?location=a`)).status).toBe(200);
    expect((await c.req('GET', `/api/targets/${made.json.id}/history?location=a`)).status).toBe(200);
  });

  it('results record location and node; the probe log, history and dashboard filter by location; the dashboard shows each location', async () => {
    const c = app.client();
    await c.login('admin', 'correct horse');
    const body = { name: 'multi', host: '127.0.0.1', port: 9, intervalSeconds: 60, retentionValue: 1, retentionUnit: 'day' };
    const multi = (await c.req('POST', '/api/targets', { ...body, locations: ['a', 'b'] })).json.id as number;
    const onlyA = (await c.req('POST', '/api/targets', { ...body, name: 'only-a', locations: ['a'] })).json.id as number;
    const base = Date.now() - 600_000;
    const r = (targetId: number, location: string, node: string, startedAt: number, outcome: 'success' | 'refused') => ({
      targetId,
      startedAt,
      outcome,
      connectMs: outcome === 'success' ? 1 : null,
      dnsMs: null,
      address: '127.0.0.1',
      localPort: 1,
      errorCode: outcome === 'success' ? null : 'ECONNREFUSED',
      scheduledAt: startedAt,
      location,
      node,
    });
    await s.db.tx((tx) =>
      tx.insertResults([r(multi, 'a', 'a1', base, 'success'), r(multi, 'b', 'b1', base + 1, 'refused'), r(multi, 'a', 'a2', base + 60_000, 'success'), r(onlyA, 'a', 'a1', base, 'success')]),
    );
    const log = await c.req('GET', `/api/targets/${multi}/results?location=b`);
    expect(log.json.results).toEqual([expect.objectContaining({ location: 'b', node: 'b1', outcome: 'refused' })]);
    const all = await c.req('GET', `/api/targets/${multi}/results`);
    expect(all.json.results.map((x: { node: string }) => x.node)).toEqual(['a2', 'b1', 'a1']);
    const hist = await c.req('GET', `/api/targets/${multi}/history?location=a&from=${base - (base % 60_000)}&to=${base - (base % 60_000) + 180_000}&step=60`);
    expect(hist.json.buckets.map((b: { attempts: number }) => b.attempts)).toEqual([1, 1, 0]);
    const dash = await c.req('GET', '/api/targets');
    const row = (dash.json.targets as { id: number; byLocation: unknown[] }[]).find((t) => t.id === multi)!;
    expect(row.byLocation).toEqual([
      { location: 'a', lastResult: expect.objectContaining({ node: 'a2', outcome: 'success' }) },
      { location: 'b', lastResult: expect.objectContaining({ node: 'b1', outcome: 'refused' }) },
    ]);
    expect((dash.json.targets as { id: number; byLocation: unknown[] }[]).find((t) => t.id === onlyA)!.byLocation).toEqual([]);
    const inB = await c.req('GET', '/api/targets?location=b');
    const ids = (inB.json.targets as { id: number }[]).map((t) => t.id);
    expect(ids).toContain(multi);
    expect(ids).not.toContain(onlyA);
    expect((inB.json.targets as { id: number; lastResult: { node: string } }[]).find((t) => t.id === multi)!.lastResult.node).toBe('b1');
    expect((await c.req('GET', '/api/targets?location=no%20such')).status).toBe(400);
  });
});

const mysqlStores = STORES.filter((s) => s.name === 'mysql');
describe.each(mysqlStores)('two coordinators on one database ($name)', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  beforeAll(async () => {
    s = await store.open();
  });
  afterAll(() => s.cleanup());

  it('split the targets of their location between them, each once; a target of another location is nobody here', async () => {
    const targets: Target[] = [];
    for (let i = 0; i < 60; i++) {
      const locations = i % 3 === 0 ? ['a'] : i % 3 === 1 ? ['b'] : ['a', 'b'];
      targets.push(await createTarget(s.db, { name: `t${i}`, host: '127.0.0.1', port: 9, intervalSeconds: 5, retentionValue: 1, retentionUnit: 'day', locations }, Date.now()));
    }
    const x = await joinNodes(s.db, { nodeName: 'x1', location: 'a' }, log);
    const y = await joinNodes(s.db, { nodeName: 'x2', location: 'a' }, log);
    const err = await joinNodes(s.db, { nodeName: 'x2', location: 'b' }, log).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeNameInUseError);
    let changes = 0;
    const none = () => ({ lagP99Ms: null, writerBuffered: 0, writerDropped: 0 });
    x.start(() => changes++, none);
    y.start(() => undefined, none);
    const enabled = await listEnabledTargets(s.db);
    expect(x.select(enabled)).toEqual([]); // before the join delay passed
    await new Promise((r) => setTimeout(r, JOIN_DELAY_MS + 1200));
    const inA = enabled.filter((t) => t.locations.includes('a'));
    const mine = await waitFor(
      () => {
        const a = x.select(enabled);
        const b = y.select(enabled);
        return a.length + b.length === inA.length && a.length > 0 && b.length > 0 ? [a, b] : null;
      },
      5000,
      'both members',
    );
    const ids = [...mine[0]!, ...mine[1]!].map((t) => t.id).sort((p, q) => p - q);
    expect(ids).toEqual(inA.map((t) => t.id).sort((p, q) => p - q));
    expect(changes).toBeGreaterThan(0);
    // y leaves cleanly: x takes everything at the hand-over moment
    await y.leave();
    await waitFor(() => x.select(enabled).length === inA.length, 3000, 'x takes over');
    await x.leave();
  });

  it('writers of two nodes adding to the same buckets at once never deadlock, and the rollups stay exact', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 40; i++)
      ids.push((await createTarget(s.db, { name: `w${i}`, host: '127.0.0.1', port: 9, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day', locations: ['a', 'b'] }, Date.now())).id);
    const t0 = Date.now() - (Date.now() % 3_600_000);
    const batch = (location: string, k: number) =>
      ids.map((targetId, i) => ({
        targetId,
        startedAt: t0 + k * 1000 + i,
        outcome: 'success' as const,
        connectMs: 1,
        dnsMs: null,
        address: '127.0.0.1',
        localPort: 1,
        errorCode: null,
        scheduledAt: t0 + k * 1000,
        location,
        node: `${location}1`,
      }));
    // node a's batches in id order, node b's in reverse: the same (target, bucket) rows, opposite orders
    for (let k = 0; k < 30; k++) await Promise.all([storeBatch(s.db, batch('a', k)), storeBatch(s.db, batch('b', k).reverse())]);
    const off = await s.db.all(SQL`SELECT r.target_id FROM (SELECT target_id, COUNT(*) AS n FROM results GROUP BY target_id) r
      JOIN (SELECT target_id, SUM(attempts) AS n FROM results_1h GROUP BY target_id) h ON h.target_id = r.target_id WHERE r.n <> h.n`);
    expect(off).toEqual([]);
  });
});
