/**
 * Live dashboard stream on every store (issue 12 §4): the real app with real actors on a real
 * socket, read by a real SSE client. A probe's state change arrives as a delta; many results of
 * one target within a second reach the client as one entry; a stale or foreign cursor gets
 * `resync`, as does a subscriber that falls behind; the location filter; auth; compression
 * leaves the stream alone.
 */
import net from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActors, type Actors } from '../src/actors/system.js';
import { outcomeCode, stateCode, undeltaIds, type LiveDelta, type LiveSnapshot } from '../src/domain/live-frame.js';
import type { ProbeResult } from '../src/domain/types.js';
import { LiveService } from '../src/live/service.js';
import { createTarget } from '../src/store/targets.js';
import { testApp, type Client } from './helpers/app.js';
import { closedPort } from './helpers/net.js';
import { openSse, type SseStream } from './helpers/sse.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const log = pino({ level: 'silent' });
const fast = { writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 200, maxBackoffMs: 400 }, reconcileEveryMs: 60_000, purgeEveryMs: 3_600_000 };
const base = { host: '127.0.0.1', intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' as const, timeoutMs: null };

/** A loopback listener on a fixed port that can be stopped. */
async function peerOn(port: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined).on('close', () => sockets.delete(s));
    s.end();
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
}

/** The entries of a delta for one target: result (outcome code) and state (state code). */
function entriesOf(d: LiveDelta, id: number) {
  const r = d.r ? undeltaIds(d.r.i).indexOf(id) : -1;
  const n = d.n ? undeltaIds(d.n.i).indexOf(id) : -1;
  const s = d.s ? undeltaIds(d.s.i).indexOf(id) : -1;
  return { outcome: r >= 0 ? d.r!.o[r] : undefined, seen: n >= 0, state: s >= 0 ? d.s!.v[s] : undefined, count: (r >= 0 ? 1 : 0) + (n >= 0 ? 1 : 0) };
}

describe.each(STORES)('live dashboard stream on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let actors: Actors;
  let live: LiveService;
  let c: Client;
  let url: string;
  let server: ReturnType<typeof serve>;
  let stopPeer: () => Promise<void>;
  let port: number;
  const open: SseStream[] = [];
  const sse = async (path: string, headers: Record<string, string> = {}) => {
    const st = await openSse(url + path, { cookie: c.cookie, ...headers });
    open.push(st);
    return st;
  };

  beforeAll(async () => {
    s = await store.open();
    actors = startActors(s.db, log, fast);
    const app = await testApp(s.db, { actors });
    live = new LiveService(app.deps, { keepFrames: 3, maxQueued: 2 });
    app.deps.live = live;
    // the app reads deps.live when it is built: build it again with the service in place
    const { buildApp } = await import('../src/http/app.js');
    const built = buildApp(app.deps, '/nonexistent-ui');
    server = serve({ fetch: built.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    c = app.client();
    const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'correct horse' }) });
    expect(res.status).toBe(204);
    c.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    port = await closedPort();
    stopPeer = await peerOn(port);
  });
  afterAll(async () => {
    for (const st of open) st.close();
    live?.stop();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await stopPeer?.().catch(() => undefined);
    await actors?.shutdown(2000);
    await s?.cleanup();
  });

  it('needs a session, and is neither buffered nor compressed', async () => {
    expect((await fetch(`${url}/api/events/stream`)).status).toBe(401);
    expect((await fetch(`${url}/api/events/snapshot`)).status).toBe(401);
    const bad = await fetch(`${url}/api/events/stream?after=x`, { headers: { cookie: c.cookie } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: Record<string, string> }).fields.after).toMatch(/cursor/);
    const st = await sse('/api/events/stream', { 'accept-encoding': 'gzip, deflate' });
    expect(st.header('content-type')).toMatch(/^text\/event-stream/);
    expect(st.header('x-accel-buffering')).toBe('no');
    expect(st.header('content-encoding')).toBeNull();
    expect((await st.next((e) => e.comment === 'open')).comment).toBe('open');
    st.close();
  });

  it('sends a probe’s state change as a delta', async () => {
    const t = await createTarget(s.db, { ...base, name: 'live-peer', port, failureThreshold: 1, recoveryThreshold: 1 }, Date.now());
    await actors.reconcile();
    await waitFor(() => actors.states.get(t.id)?.state === 'up', 6000, 'up');
    const snap = (await (await fetch(`${url}/api/events/snapshot`, { headers: { cookie: c.cookie } })).json()) as LiveSnapshot;
    const k = snap.id.indexOf(t.id);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(snap.name[k]).toBe('live-peer');
    expect(snap.outcome[k]).toBe(outcomeCode('success'));
    expect(snap.state[k]).toBe(stateCode('up'));
    const st = await sse(`/api/events/stream?after=${snap.cursor}`);
    await stopPeer();
    const down = await st.next((e) => e.event === 'delta' && entriesOf(JSON.parse(e.data) as LiveDelta, t.id).state === stateCode('down'), 8000);
    const d = JSON.parse(down.data) as LiveDelta;
    const refused = st.events.filter((e) => e.event === 'delta').map((e) => entriesOf(JSON.parse(e.data) as LiveDelta, t.id).outcome);
    expect(refused).toContain(outcomeCode('refused'));
    expect(d.s!.since[undeltaIds(d.s!.i).indexOf(t.id)]).toBeGreaterThan(Date.now() - 10_000);
    expect(down.id).toMatch(/^[0-9a-z]+\.\d+$/);
    st.close();
  });

  it('coalesces many results of one target within a second into one entry', async () => {
    const t = await createTarget(s.db, { ...base, name: 'live-burst', port: 9, enabled: false, failureThreshold: 1, recoveryThreshold: 1 }, Date.now());
    await live.targets();
    const st = await sse('/api/events/stream');
    await st.next((e) => e.comment === 'open');
    const from = st.events.length;
    const now = Date.now();
    const outcomes = ['success', 'refused', 'timeout', 'success', 'reset'] as const;
    outcomes.forEach((outcome, k) => {
      const r: ProbeResult = {
        targetId: t.id,
        startedAt: now + k,
        outcome,
        connectMs: outcome === 'success' ? 1.234 + k : null,
        dnsMs: null,
        address: '127.0.0.1',
        localPort: null,
        errorCode: outcome === 'success' ? null : 'ECONNRESET',
      };
      actors.latest.record(r);
    });
    const hit = await st.next((e) => e.event === 'delta' && entriesOf(JSON.parse(e.data) as LiveDelta, t.id).count > 0, 4000);
    const d = JSON.parse(hit.data) as LiveDelta;
    const e = entriesOf(d, t.id);
    expect(e.count).toBe(1);
    expect(e.outcome).toBe(outcomeCode('reset'));
    const pos = undeltaIds(d.r!.i).indexOf(t.id);
    expect(d.r!.e?.[pos]).toBe('ECONNRESET');
    // and no second entry for it in the following second
    await new Promise((r) => setTimeout(r, 1500));
    const later = st.events.slice(from).filter((x) => x.event === 'delta' && x !== hit && entriesOf(JSON.parse(x.data) as LiveDelta, t.id).count > 0);
    expect(later).toEqual([]);
    st.close();
  });

  it('sends resync for a cursor from another process or too old, then ends the stream', async () => {
    const foreign = await sse('/api/events/stream?after=zzzz.5');
    expect((await foreign.next((e) => e.event !== '')).event).toBe('resync');
    await waitFor(() => foreign.ended, 3000, 'the stream to end');
    const snap = (await (await fetch(`${url}/api/events/snapshot`, { headers: { cookie: c.cookie } })).json()) as LiveSnapshot;
    // keepFrames is 3 here: after 5 more deltas the snapshot's cursor is out of reach
    const [epoch, seq] = snap.cursor.split('.');
    await waitFor(() => live.hub.cursor() === `${epoch}.${Number(seq) + 5}`, 12_000, 'five more deltas');
    const stale = await sse('/api/events/stream', { 'last-event-id': snap.cursor });
    expect((await stale.next((e) => e.event !== '')).event).toBe('resync');
    // a recent cursor replays what came after it instead
    const recent = `${epoch}.${Number(seq) + 4}`;
    const replay = await sse('/api/events/stream', { 'last-event-id': recent });
    expect((await replay.next((e) => e.event !== '')).id).toBe(`${epoch}.${Number(seq) + 5}`);
    replay.close();
  });

  it('drops a subscriber that falls behind to one resync instead of queueing more', async () => {
    // maxQueued is 2 here; this subscriber is never read while 3 deltas come
    const sub = live.hub.subscribe(undefined, undefined);
    const at = live.hub.cursor();
    await waitFor(() => live.hub.cursor() !== at && sub.waiting >= 1, 5000, 'a first delta');
    await waitFor(() => sub.overflowed, 8000, 'the subscriber to overflow');
    expect(sub.waiting).toBe(1);
    const item = await sub.next();
    expect(item && 'event' in item && item.event).toBe('resync');
    sub.close();
  });

  it('keeps to the location filter', async () => {
    const a = await createTarget(s.db, { ...base, name: 'in-a', port: 9, enabled: false, failureThreshold: 1, recoveryThreshold: 1, locations: ['site-a'] }, Date.now());
    const b = await createTarget(s.db, { ...base, name: 'in-b', port: 9, enabled: false, failureThreshold: 1, recoveryThreshold: 1, locations: ['site-b'] }, Date.now());
    await live.targets();
    const snap = (await (await fetch(`${url}/api/events/snapshot?location=site-a`, { headers: { cookie: c.cookie } })).json()) as LiveSnapshot;
    expect(snap.id).toEqual([a.id]);
    const st = await sse(`/api/events/stream?location=site-a&after=${snap.cursor}`);
    const now = Date.now();
    for (const id of [a.id, b.id])
      actors.latest.record({ targetId: id, startedAt: now, outcome: 'success', connectMs: 2, dnsMs: null, address: '127.0.0.1', localPort: null, errorCode: null } satisfies ProbeResult);
    const hit = await st.next((e) => e.event === 'delta' && entriesOf(JSON.parse(e.data) as LiveDelta, a.id).count > 0, 4000);
    expect(entriesOf(JSON.parse(hit.data) as LiveDelta, b.id).count).toBe(0);
    for (const e of st.events) if (e.event === 'delta') expect(entriesOf(JSON.parse(e.data) as LiveDelta, b.id).count).toBe(0);
    st.close();
  });
});
