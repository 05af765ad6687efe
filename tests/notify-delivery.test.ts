/**
 * Notification delivery with the real actors on every store (issue 11 "Tests"): a real loopback
 * listener stopped and started, a real loopback webhook receiver.
 * - Thresholds 3 and 2 at 1 s: exactly one "down" and one "up", even with a restart during the
 *   open outage (no duplicate "down"; "up" on recovery).
 * - A receiver that answers after 30 s delays no probe; its delivery is retried and logged, and a
 *   pending delivery survives a restart and is sent by the next process.
 */
import net from 'node:net';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startActors, type Actors } from '../src/actors/system.js';
import { DELIVERY_DEFAULTS, type DeliveryOptions } from '../src/actors/delivery.js';
import { listEvents } from '../src/store/events.js';
import { secretBox } from '../src/notify/secret-box.js';
import { createChannel, setTargetChannels } from '../src/store/channels.js';
import { listDeliveries } from '../src/store/deliveries.js';
import { listResults } from '../src/store/results.js';
import { createTarget } from '../src/store/targets.js';
import { closedPort } from './helpers/net.js';
import { receiver } from './helpers/receiver.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';
import { TIMER_SLACK_MS } from './helpers/timing.js';

/** Every log line the actors write (debug and up), to check that no secret is ever logged. */
const logged: string[] = [];
const log = pino({ level: 'debug' }, { write: (line: string) => void logged.push(line) });
const SESSION_SECRET = 's'.repeat(40);
const HOOK_SECRET = 'delivery-secret-0123456789';
const base = { host: '127.0.0.1', intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' as const, timeoutMs: null };
const options = (delivery: Partial<DeliveryOptions> = { timeoutMs: 2000, firstRetryMs: 300, maxRetryMs: 1000 }) => ({
  writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 },
  reconcileEveryMs: 60_000,
  purgeEveryMs: 3_600_000,
  notify: { sessionSecret: SESSION_SECRET, publicUrl: 'http://netwatch.test', delivery: { ...DELIVERY_DEFAULTS, ...delivery } },
});

/** A loopback listener on a fixed port that can be stopped and started again. */
function switchable(port: number) {
  let server: net.Server | null = null;
  return {
    async start() {
      server = net.createServer((s) => s.on('error', () => undefined).end()).listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    stop: () => new Promise<void>((r) => (server ? server.close(() => r()) : r())),
  };
}

describe.each(STORES)('notification delivery on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    s = await store.open();
    hook = await receiver();
  });
  afterAll(async () => {
    await hook.close();
    await s.cleanup();
  });

  const channelFor = async (targetId: number, path: string) => {
    const ch = await createChannel(s.db, secretBox(SESSION_SECRET), { name: path, kind: 'webhook', config: { url: `${hook.url}${path}`, secret: HOOK_SECRET } }, Date.now());
    await setTargetChannels(s.db, targetId, [ch.id]);
    return ch;
  };
  const events = (path: string) => hook.got.filter((r) => r.url === path).map((r) => JSON.parse(r.body) as { event: string; cause: unknown; link: string });

  it('one down and one up for a listener stopped and started (thresholds 3 and 2), across a restart during the outage', async () => {
    const port = await closedPort();
    const peer = switchable(port);
    await peer.start();
    const t = await createTarget(s.db, { ...base, name: 'spoke', port, failureThreshold: 3, recoveryThreshold: 2 }, Date.now());
    await channelFor(t.id, '/thresholds');
    let actors: Actors = startActors(s.db, log, options());
    try {
      await actors.reconcile();
      await waitFor(() => actors.states.get(t.id)?.state === 'up', 6000, 'up');
      await peer.stop();
      await waitFor(() => events('/thresholds').length === 1, 10_000, 'the down notification');
      const down = events('/thresholds')[0]!;
      expect(down).toMatchObject({ event: 'down', cause: { outcome: 'refused', errorCode: 'ECONNREFUSED' }, link: `http://netwatch.test/targets/${t.id}/history` });
      const raw = hook.got.find((r) => r.url === '/thresholds')!;
      expect(raw.headers['x-netwatch-signature']).toBe(`sha256=${createHmac('sha256', HOOK_SECRET).update(raw.body).digest('hex')}`);

      await actors.shutdown(2000);
      actors = startActors(s.db, log, options());
      await actors.reconcile();
      await waitFor(() => actors.states.get(t.id)?.state === 'down', 5000, 'state reloaded');
      await new Promise((r) => setTimeout(r, 3500)); // more failed probes than the threshold
      expect(events('/thresholds').map((e) => e.event)).toEqual(['down']);

      await peer.start();
      await waitFor(() => events('/thresholds').length === 2, 10_000, 'the up notification');
      await new Promise((r) => setTimeout(r, 2000));
      expect(events('/thresholds').map((e) => e.event)).toEqual(['down', 'up']);
      const sent = await listDeliveries(s.db, { targetId: t.id, limit: 10 });
      expect(sent.map((d) => [d.kind, d.status, d.attempts])).toEqual([
        ['up', 'sent', 1],
        ['down', 'sent', 1],
      ]);
    } finally {
      await actors.shutdown(2000);
      await peer.stop();
    }
  });

  it('a receiver answering after 30 s delays no probe; the delivery is retried, logged, and resumed after a restart', async () => {
    const port = await closedPort();
    const t = await createTarget(s.db, { ...base, name: 'down from the start', port, failureThreshold: 1, recoveryThreshold: 1 }, Date.now());
    await channelFor(t.id, '/slow');
    hook.state.delayMs = 30_000;
    const started = Date.now();
    let actors: Actors = startActors(s.db, log, options({ timeoutMs: 500, firstRetryMs: 200, maxRetryMs: 400 }));
    try {
      await actors.reconcile();
      const d = await waitFor(
        async () => {
          const [x] = await listDeliveries(s.db, { targetId: t.id, limit: 1 });
          return x && x.attempts >= 3 && x;
        },
        15_000,
        'three failed attempts',
      );
      expect(d).toMatchObject({ kind: 'down', status: 'pending', lastError: 'timed out' });
      // probing went on once a second meanwhile, on time
      const rows = (await listResults(s.db, t.id, { from: started, to: Date.now() + 1, limit: 1000 })).reverse();
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.startedAt - rows[i - 1]!.startedAt).toBeLessThan(1000 + TIMER_SLACK_MS);
      expect(actors.lag.summary(Date.now()).p99).toBeLessThan(TIMER_SLACK_MS);

      // restart: the pending delivery is stored and the next process sends it
      await actors.shutdown(2000);
      hook.state.delayMs = 0;
      const before = hook.got.filter((r) => r.url === '/slow').length;
      actors = startActors(s.db, log, options());
      await waitFor(async () => (await listDeliveries(s.db, { targetId: t.id, limit: 1 }))[0]?.status === 'sent', 10_000, 'sent after restart');
      expect(hook.got.filter((r) => r.url === '/slow').length).toBeGreaterThan(before);
      expect(events('/slow').every((e) => e.event === 'down')).toBe(true);
      expect((await listDeliveries(s.db, { targetId: t.id, limit: 10 })).length).toBe(1);
    } finally {
      hook.state.delayMs = 0;
      await actors.shutdown(2000);
    }
  });

  it('a target flapping every 2 s sends one flapping summary, not dozens, and one "stable" once it settles', async () => {
    const port = await closedPort();
    const peer = switchable(port);
    await peer.start();
    const t = await createTarget(s.db, { ...base, name: 'flappy', port, failureThreshold: 1, recoveryThreshold: 1 }, Date.now());
    await channelFor(t.id, '/flap');
    const actors = startActors(s.db, log, options({ flapChanges: 3, flapWindowMs: 6000 }));
    try {
      await actors.reconcile();
      await waitFor(() => actors.states.get(t.id)?.state === 'up', 6000, 'up');
      for (let i = 0; i < 8; i++) {
        await (i % 2 === 0 ? peer.stop() : peer.start());
        await new Promise((r) => setTimeout(r, 2000));
      }
      const changes = (await listEvents(s.db, { targetId: t.id, from: 0, to: Date.now() + 1000, limit: 100 })).length;
      expect(changes).toBeGreaterThanOrEqual(8);
      // down and up (changes 2 and 3), then the summary at the 4th change within 6 s; nothing after
      expect(events('/flap').map((e) => e.event)).toEqual(['down', 'up', 'flapping']);
      await waitFor(() => events('/flap').length === 4, 12_000, 'the stable summary');
      expect(events('/flap')[3]).toMatchObject({ event: 'stable', state: 'up' });
    } finally {
      await actors.shutdown(2000);
      await peer.stop();
    }
  }, 60_000); // ~22 s of scripted flapping and settling

  it('a channel whose required secret is unset (created by a config import) gets no delivery; the other channels do', async () => {
    const t = await createTarget(s.db, { ...base, name: 'no secret', port: await closedPort(), failureThreshold: 1, recoveryThreshold: 1 }, Date.now());
    const ok = await createChannel(s.db, secretBox(SESSION_SECRET), { name: '/with-secret', kind: 'webhook', config: { url: `${hook.url}/with-secret`, secret: HOOK_SECRET } }, Date.now());
    const bare = await createChannel(s.db, secretBox(SESSION_SECRET), { name: '/no-secret', kind: 'webhook', config: { url: `${hook.url}/no-secret` } }, Date.now());
    await setTargetChannels(s.db, t.id, [ok.id, bare.id]);
    const actors = startActors(s.db, log, options());
    try {
      await actors.reconcile();
      await waitFor(() => events('/with-secret').length === 1, 10_000, 'the down notification');
      expect(await listDeliveries(s.db, { channelId: bare.id, limit: 10 })).toEqual([]);
      expect(hook.got.filter((r) => r.url === '/no-secret')).toEqual([]);
    } finally {
      await actors.shutdown(2000);
    }
  });

  it('never logs a channel secret', () => {
    expect(logged.length).toBeGreaterThan(10);
    expect(logged.some((l) => l.includes('notification sent'))).toBe(true);
    for (const line of logged) expect(line).not.toContain(HOOK_SECRET);
  });
});
