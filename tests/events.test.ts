/**
 * Target state and events on every store (issue 11): thresholds through the API, the state actor
 * against a real loopback listener that is stopped and started, restart without spurious changes,
 * `/api/events` and `/api/outages`, and events following retention.
 */
import net from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { purgeHistory } from '../src/actors/purge.js';
import { startActors, type Actors } from '../src/actors/system.js';
import type { Db } from '../src/store/db.js';
import { insertEvent, listEvents } from '../src/store/events.js';
import { createTarget, deleteTarget } from '../src/store/targets.js';
import { testApp, type Client } from './helpers/app.js';
import { closedPort } from './helpers/net.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const log = pino({ level: 'silent' });
const fast = { writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 }, reconcileEveryMs: 60_000, purgeEveryMs: 3_600_000 };
const base = { name: 'spoke', host: '127.0.0.1', intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' as const, timeoutMs: null };
const H = 3_600_000;

/** A loopback listener on a fixed port that can be stopped and started again. */
function switchable(port: number) {
  let server: net.Server | null = null;
  const sockets = new Set<net.Socket>();
  return {
    async start() {
      server = net.createServer((s) => {
        sockets.add(s);
        s.on('error', () => undefined).on('close', () => sockets.delete(s));
        s.end();
      });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      server = null;
    },
  };
}

const changes = async (db: Db, id: number) => (await listEvents(db, { targetId: id, from: 0, to: Date.now() + 60_000, limit: 100 })).reverse().map((e) => `${e.from}>${e.to}`);

describe.each(STORES)('target state on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let c: Client;
  let anonymous: Client;
  beforeAll(async () => {
    s = await store.open();
    const app = await testApp(s.db);
    c = app.client();
    anonymous = app.client();
    await c.login('admin', 'correct horse');
  });
  afterAll(async () => s.cleanup());

  it('thresholds default to 3 and 1, accept 1–100 and refuse anything else per field', async () => {
    const t = await c.req('POST', '/api/targets', { ...base, port: 80 });
    expect(t.status).toBe(201);
    expect(t.json).toMatchObject({ failureThreshold: 3, recoveryThreshold: 1 });
    const put = await c.req('PUT', `/api/targets/${t.json.id}`, { failureThreshold: 100, recoveryThreshold: 1 });
    expect(put.json).toMatchObject({ failureThreshold: 100, recoveryThreshold: 1 });
    for (const [field, value] of [
      ['failureThreshold', 0],
      ['failureThreshold', 101],
      ['recoveryThreshold', 1.5],
      ['recoveryThreshold', '2'],
      ['failureThreshold', null],
    ] as const) {
      const r = await c.req('POST', '/api/targets', { ...base, port: 80, [field]: value });
      expect(r.status, `${field}=${value}`).toBe(400);
      expect(Object.keys(r.json.fields)).toEqual([field]);
    }
    const bad = await c.req('PUT', `/api/targets/${t.json.id}`, { recoveryThreshold: 0 });
    expect(bad.status).toBe(400);
    expect((await c.req('GET', `/api/targets/${t.json.id}`)).json.recoveryThreshold).toBe(1);
    await c.req('DELETE', `/api/targets/${t.json.id}`);
  });

  it('a listener stopped and started gives exactly one down and one up (thresholds 3 and 2); a restart adds none', async () => {
    const port = await closedPort();
    const peer = switchable(port);
    await peer.start();
    const t = await createTarget(s.db, { ...base, port, failureThreshold: 3, recoveryThreshold: 2 }, Date.now());
    let actors: Actors = startActors(s.db, log, fast);
    try {
      await actors.reconcile();
      await waitFor(async () => (await changes(s.db, t.id)).length === 1, 6000, 'unknown>up');
      await peer.stop();
      const stoppedAt = Date.now();
      await waitFor(async () => (await changes(s.db, t.id)).length === 2, 8000, 'up>down');
      const list = await c.req('GET', '/api/targets');
      // the API answers from the store here (this app has no actors): down since the first failed probe
      const row = list.json.targets.find((x: { id: number }) => x.id === t.id);
      expect(row.state).toBe('down');
      expect(row.stateSince).toBeGreaterThanOrEqual(stoppedAt - 1000);
      expect(actors.states.get(t.id)).toEqual({ state: 'down', since: row.stateSince });

      // restart during the outage: the state continues from the store, no second "down"
      await actors.shutdown(2000);
      actors = startActors(s.db, log, fast);
      await actors.reconcile();
      await waitFor(() => actors.states.get(t.id)?.state === 'down', 5000, 'state loaded');
      await new Promise((r) => setTimeout(r, 3500));
      expect(await changes(s.db, t.id)).toEqual(['unknown>up', 'up>down']);

      await peer.start();
      await waitFor(async () => (await changes(s.db, t.id)).length === 3, 8000, 'down>up');
      await new Promise((r) => setTimeout(r, 1500));
      expect(await changes(s.db, t.id)).toEqual(['unknown>up', 'up>down', 'down>up']);
      const outages = await c.req('GET', `/api/outages?targetId=${t.id}&from=0&to=${Date.now()}`);
      expect(outages.status).toBe(200);
      expect(outages.json.outages).toHaveLength(1);
      const o = outages.json.outages[0];
      expect(o.cause.outcome).toBe('refused');
      expect(o.end).toBeGreaterThan(o.start);
      expect(o.durationMs).toBe(o.end - o.start);
    } finally {
      await actors.shutdown(2000);
      await peer.stop();
    }
  });

  it('/api/events and /api/outages: ranges, an outage open across `from`, filters and 400s', async () => {
    const a = await createTarget(s.db, { ...base, name: 'a', port: 1 }, 0);
    const b = await createTarget(s.db, { ...base, name: 'b', port: 2 }, 0);
    const T = Date.UTC(2030, 0, 1);
    const down = (at: number, first: number) => ({ from: 'up' as const, to: 'down' as const, at, outcome: 'timeout' as const, errorCode: null, firstFailedAt: first, streakStartedAt: first });
    const up = (at: number, first: number, start: number) => ({
      from: 'down' as const,
      to: 'up' as const,
      at,
      outcome: 'success' as const,
      errorCode: null,
      firstFailedAt: first,
      streakStartedAt: start,
    });
    await insertEvent(s.db, a.id, down(T, T - 2000));
    await insertEvent(s.db, a.id, up(T + 5 * H, T - 2000, T + 5 * H - 1000));
    await insertEvent(s.db, a.id, down(T + 10 * H, T + 10 * H - 2000));
    await insertEvent(s.db, b.id, { ...down(T + 2 * H, T + 2 * H), outcome: 'refused', errorCode: 'ECONNREFUSED' });
    await insertEvent(s.db, b.id, up(T + 3 * H, T + 2 * H, T + 3 * H));

    const ev = await c.req('GET', `/api/events?from=${T}&to=${T + 10 * H}`);
    expect(ev.json.events.map((e: { at: number }) => e.at)).toEqual([T + 10 * H, T + 5 * H, T + 3 * H, T + 2 * H, T]);
    const ev1 = await c.req('GET', `/api/events?targetId=${b.id}&from=${T}&to=${T + 10 * H}&limit=1`);
    expect(ev1.json.events).toMatchObject([{ targetId: b.id, to: 'up', location: 'default' }]);

    // from inside a's first outage: it is listed, from its first failed probe
    const out = await c.req('GET', `/api/outages?from=${T + H}&to=${T + 11 * H}`, undefined);
    expect(out.json.outages.map((o: { targetId: number; start: number; end: number | null }) => [o.targetId, o.start, o.end])).toEqual([
      [a.id, T - 2000, T + 5 * H - 1000],
      [b.id, T + 2 * H, T + 3 * H],
      [a.id, T + 10 * H - 2000, null],
    ]);
    expect(out.json.outages[1].cause).toEqual({ outcome: 'refused', errorCode: 'ECONNREFUSED' });
    // a range between outages: none; a range ending inside one lists it closed by the later event
    expect((await c.req('GET', `/api/outages?targetId=${a.id}&from=${T + 6 * H}&to=${T + 7 * H}`)).json.outages).toEqual([]);
    expect((await c.req('GET', `/api/outages?targetId=${a.id}&from=${T + H}&to=${T + 2 * H}`)).json.outages[0].end).toBe(T + 5 * H - 1000);

    for (const q of ['targetId=x', 'targetId=0', 'from=abc', `from=${T + 1}&to=${T}`, 'limit=0', 'limit=1001']) {
      const r = await c.req('GET', `/api/events?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error).toBe('validation');
    }
    expect((await c.req('GET', '/api/outages?to=-1')).status).toBe(400);
    expect((await anonymous.req('GET', '/api/events')).status).toBe(401);
    expect((await anonymous.req('GET', '/api/outages')).status).toBe(401);

    // retention: changes older than the target's retention go, except its latest (the current state)
    expect(await purgeHistory(s.db, T + 10 * H + 2 * 86_400_000)).toBeGreaterThanOrEqual(4);
    const left = await listEvents(s.db, { from: 0, to: T + 100 * H, limit: 100 });
    expect(left.filter((e) => e.targetId === a.id).map((e) => e.at)).toEqual([T + 10 * H]);
    expect(left.filter((e) => e.targetId === b.id).map((e) => e.at)).toEqual([T + 3 * H]);
    await deleteTarget(s.db, b.id);
    await purgeHistory(s.db, T + 10 * H + 2 * 86_400_000);
    expect(await listEvents(s.db, { targetId: b.id, from: 0, to: T + 100 * H, limit: 100 })).toEqual([]);
  });

  it('marks a target flapping after more than 5 changes in 10 min', async () => {
    const t = await createTarget(s.db, { ...base, name: 'flappy', port: 3 }, 0);
    const now = Date.now();
    const change = (i: number) => ({
      from: i % 2 ? ('down' as const) : ('up' as const),
      to: i % 2 ? ('up' as const) : ('down' as const),
      at: now - 500_000 + i * 1000,
      outcome: 'refused' as const,
      errorCode: null,
      firstFailedAt: null,
      streakStartedAt: now - 500_000 + i * 1000,
    });
    const flapping = async () => (await c.req('GET', '/api/targets')).json.targets.find((x: { id: number }) => x.id === t.id).flapping;
    for (let i = 0; i < 5; i++) await insertEvent(s.db, t.id, change(i));
    expect(await flapping()).toBe(false);
    await insertEvent(s.db, t.id, change(5));
    expect(await flapping()).toBe(true);
  });
});
