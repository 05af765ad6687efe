/**
 * Maintenance windows (issue 11): the window rule (one-off, weekly), the API on every store, and
 * with the real actors: a change inside a window is recorded and marked, sends no notification,
 * and its outage is marked maintenance; a target outside the window still notifies.
 */
import net from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { DELIVERY_DEFAULTS } from '../src/actors/delivery.js';
import { startActors } from '../src/actors/system.js';
import { inMaintenance, maintenanceIntervals, occurrences, WEEK_MS, type MaintenanceWindow } from '../src/domain/maintenance.js';
import { hashPassword } from '../src/auth/password.js';
import { secretBox } from '../src/notify/secret-box.js';
import { createChannel, setTargetChannels } from '../src/store/channels.js';
import { listEvents, listOutages } from '../src/store/events.js';
import { createTarget } from '../src/store/targets.js';
import { storeBatch } from '../src/store/rollups.js';
import type { ProbeResult } from '../src/domain/types.js';
import { createUser } from '../src/store/users.js';
import { testApp, type Client } from './helpers/app.js';
import { closedPort } from './helpers/net.js';
import { receiver } from './helpers/receiver.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const H = 3_600_000;
const win = (over: Partial<MaintenanceWindow>): MaintenanceWindow => ({ id: 1, name: 'w', targetId: null, startsAt: 10 * H, endsAt: 12 * H, weekly: false, createdAt: 0, updatedAt: 0, ...over });

describe('maintenance window rule', () => {
  it('a one-off window covers [start, end) only', () => {
    expect(occurrences(win({}), 0, 100 * H)).toEqual([[10 * H, 12 * H]]);
    expect(inMaintenance([win({})], 5, 10 * H)).toBe(true);
    expect(inMaintenance([win({})], 5, 12 * H)).toBe(false);
    expect(inMaintenance([win({ targetId: 6 })], 5, 11 * H)).toBe(false);
  });
  it('a weekly window repeats every 7 days from its first start, never before it', () => {
    const w = win({ weekly: true });
    expect(inMaintenance([w], 1, 10 * H + 3 * WEEK_MS + 1)).toBe(true);
    expect(inMaintenance([w], 1, 10 * H - WEEK_MS + 1)).toBe(false);
    expect(inMaintenance([w], 1, 13 * H + WEEK_MS)).toBe(false);
    expect(occurrences(w, WEEK_MS, 3 * WEEK_MS)).toEqual([
      [10 * H + WEEK_MS, 12 * H + WEEK_MS],
      [10 * H + 2 * WEEK_MS, 12 * H + 2 * WEEK_MS],
    ]);
  });
  it('merges overlapping windows of a target and of all targets', () => {
    expect(maintenanceIntervals([win({}), win({ targetId: 2, startsAt: 11 * H, endsAt: 14 * H }), win({ targetId: 3, startsAt: 20 * H, endsAt: 21 * H })], 2, 0, 100 * H)).toEqual([[10 * H, 14 * H]]);
  });
});

describe.each(STORES)('maintenance on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let c: Client;
  let viewer: Client;
  beforeAll(async () => {
    s = await store.open();
    const app = await testApp(s.db);
    c = app.client();
    await c.login('admin', 'correct horse');
    await createUser(s.db, 'vic', await hashPassword('viewer password'), Date.now(), 'viewer');
    viewer = app.client();
    await viewer.login('vic', 'viewer password');
  });
  afterAll(async () => s.cleanup());

  it('API: create, list, replace, delete; per-field 400s; viewers read only', async () => {
    const r = await c.req('POST', '/api/maintenance', { name: 'patch night', targetId: null, startsAt: 10 * H, endsAt: 12 * H, weekly: true });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ name: 'patch night', targetId: null, weekly: true });
    expect((await viewer.req('GET', '/api/maintenance')).json.windows).toHaveLength(1);
    expect((await viewer.req('POST', '/api/maintenance', { name: 'x', targetId: null, startsAt: 1, endsAt: 2 })).status).toBe(403);
    const put = await c.req('PUT', `/api/maintenance/${r.json.id}`, { name: 'patch night', targetId: null, startsAt: 10 * H, endsAt: 11 * H });
    expect(put.json).toMatchObject({ endsAt: 11 * H, weekly: false });
    for (const [body, field] of [
      [{ name: 'x', targetId: null, startsAt: 5, endsAt: 5 }, 'endsAt'],
      [{ name: 'x', targetId: null, startsAt: 0, endsAt: WEEK_MS + 1, weekly: true }, 'endsAt'],
      [{ name: '', targetId: null, startsAt: 0, endsAt: 1 }, 'name'],
      [{ name: 'x', targetId: 424242, startsAt: 0, endsAt: 1 }, 'targetId'],
      [{ name: 'x', targetId: null, startsAt: '0', endsAt: 1 }, 'startsAt'],
      [{ name: 'x', startsAt: 0, endsAt: 1 }, 'targetId'],
    ] as const) {
      const bad = await c.req('POST', '/api/maintenance', body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(bad.json.fields)).toEqual([field]);
    }
    expect((await c.req('DELETE', `/api/maintenance/${r.json.id}`)).status).toBe(204);
    expect((await c.req('DELETE', `/api/maintenance/${r.json.id}`)).status).toBe(404);
  });

  it("the dashboard's 24 h ratio leaves maintenance out", async () => {
    const t = await createTarget(s.db, { host: '127.0.0.1', port: 7, intervalSeconds: 60, retentionValue: 2, retentionUnit: 'day', timeoutMs: null, name: 'ratio' }, 0);
    const start = Date.now() - 3 * H;
    const start0 = start - (start % 60_000);
    const r = (i: number, ok: boolean): ProbeResult => ({
      targetId: t.id,
      startedAt: start0 + i * 60_000,
      outcome: ok ? 'success' : 'timeout',
      connectMs: ok ? 1 : null,
      dnsMs: null,
      address: '127.0.0.1',
      localPort: null,
      errorCode: null,
    });
    await storeBatch(s.db, [...Array.from({ length: 10 }, (_, i) => r(i, true)), ...Array.from({ length: 10 }, (_, i) => r(10 + i, false))]);
    const ratio = async () => (await c.req('GET', '/api/targets')).json.targets.find((x: { id: number }) => x.id === t.id).ratio24h;
    expect(await ratio()).toBe(0.5);
    const w = await c.req('POST', '/api/maintenance', { name: 'failures inside', targetId: t.id, startsAt: start0 + 10 * 60_000, endsAt: start0 + 20 * 60_000 });
    expect(await ratio()).toBe(1);
    await c.req('DELETE', `/api/maintenance/${w.json.id}`);
  });

  it('a change inside a window is recorded and marked, not notified; its outage is maintenance; others still notify', async () => {
    const hook = await receiver();
    const [portA, portB] = [await closedPort(), await closedPort()];
    const base = { host: '127.0.0.1', intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' as const, timeoutMs: null, failureThreshold: 1, recoveryThreshold: 1 };
    const inside = await createTarget(s.db, { ...base, name: 'in maintenance', port: portA }, Date.now());
    const outside = await createTarget(s.db, { ...base, name: 'not in maintenance', port: portB }, Date.now());
    const ch = await createChannel(s.db, secretBox('k'.repeat(40)), { name: 'hook', kind: 'webhook', config: { url: `${hook.url}/m`, secret: 'maintenance-secret-123' } }, Date.now());
    await setTargetChannels(s.db, inside.id, [ch.id]);
    await setTargetChannels(s.db, outside.id, [ch.id]);
    expect((await c.req('POST', '/api/maintenance', { name: 'now', targetId: inside.id, startsAt: Date.now() - 60_000, endsAt: Date.now() + 600_000 })).status).toBe(201);
    const peer = net.createServer((x) => x.end()).listen(portA, '127.0.0.1');
    await once(peer, 'listening');
    const actors = startActors(s.db, pino({ level: 'silent' }), {
      writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 },
      reconcileEveryMs: 60_000,
      purgeEveryMs: 3_600_000,
      notify: { sessionSecret: 'k'.repeat(40), publicUrl: null, delivery: DELIVERY_DEFAULTS },
    });
    try {
      await actors.reconcile();
      await waitFor(() => actors.states.get(inside.id)?.state === 'up', 6000, 'inside up');
      await new Promise<void>((r) => peer.close(() => r()));
      await waitFor(() => actors.states.get(inside.id)?.state === 'down', 6000, 'inside down');
      // the control target (refused from the start) is down and notified
      await waitFor(() => hook.got.length >= 1, 6000, 'the control notification');
      await new Promise((r) => setTimeout(r, 1500));
      const bodies = hook.json();
      expect(bodies.every((b) => (b.target as { id: number }).id === outside.id)).toBe(true);
      const ev = await listEvents(s.db, { targetId: inside.id, from: 0, to: Date.now() + 1000, limit: 10 });
      expect(ev[0]).toMatchObject({ to: 'down', inMaintenance: true });
      const outages = await listOutages(s.db, { targetId: inside.id, from: 0, to: Date.now() }, Date.now());
      expect(outages).toMatchObject([{ end: null, maintenance: true }]);
      const api = await viewer.req('GET', `/api/outages?targetId=${outside.id}&from=0&to=${Date.now()}`);
      expect(api.json.outages[0].maintenance).toBe(false);
    } finally {
      await actors.shutdown(2000);
      await hook.close();
    }
  });
});
