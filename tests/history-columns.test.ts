/**
 * Issue 13 §1–2 on every store: the columnar history format (same numbers as the object format,
 * nulls for gaps, every failure outcome incl. local_error, 100,000-bucket limit, local buckets),
 * raw mode (every probe as columns, 24 h limit) and compressed responses (Brotli, gzip, deflate as
 * Accept-Encoding allows) through a real @hono/node-server socket on loopback.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { bucketsFromColumns, toColumns } from '../src/domain/history-columns.js';
import { FAILURE_OUTCOMES, type ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { storeBatch } from '../src/store/rollups.js';
import { createTarget } from '../src/store/targets.js';
import { testApp, type Client } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const T0 = Date.UTC(2026, 10, 1, 0, 0, 0); // local midnight in UTC; 05:30 in Asia/Kolkata
const DAY = 86_400_000;
const probe = (targetId: number, startedAt: number, outcome: ProbeResult['outcome'], connectMs: number | null = null, localPort = 40_000): ProbeResult => ({
  targetId,
  startedAt,
  outcome,
  connectMs: outcome === 'success' ? connectMs : null,
  dnsMs: null,
  address: '127.0.0.1',
  localPort,
  localAddress: '127.0.0.1',
  errorCode: outcome === 'success' ? null : 'E',
});

describe.each(STORES)('columnar history on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let c: Client;
  let app: Awaited<ReturnType<typeof testApp>>['app'];
  let id: number;
  beforeAll(async () => {
    ({ db, cleanup } = await store.open());
    id = (await createTarget(db, { name: 'cols', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year' }, T0)).id;
    // second 0: success 2 ms and 4 ms; second 1: refused; second 2: nothing; second 3: local_error + success 3 ms;
    // then one success every 30 s over the rest of the day (2,880 probes), ports counting up
    const rows = [
      probe(id, T0, 'success', 2, 50_001),
      probe(id, T0 + 500, 'success', 4, 50_002),
      probe(id, T0 + 1000, 'refused', null, 50_003),
      probe(id, T0 + 3000, 'local_error', null, 50_004),
      probe(id, T0 + 3001, 'success', 3, 50_005),
    ];
    for (let t = T0 + 30_000; t < T0 + DAY; t += 30_000) rows.push(probe(id, t, 'success', 1, 10_000 + (t - T0) / 30_000));
    await storeBatch(db, rows);
    const built = await testApp(db, { now: () => T0 + DAY });
    app = built.app;
    c = built.client();
    await c.login('admin', 'correct horse');
  });
  afterAll(async () => cleanup());

  it('answers one array per series with nulls for gaps and every failure outcome, matching the object format', async () => {
    const q = `from=${T0}&to=${T0 + 5000}&step=1&tz=UTC`;
    const cols = await c.req('GET', `/api/targets/${id}/history?${q}&format=columns`);
    expect(cols.status).toBe(200);
    const j = cols.json;
    expect(j.buckets).toBeUndefined();
    expect([j.from, j.to, j.step, j.tz]).toEqual([T0, T0 + 5000, 1, 'UTC']);
    expect(j.t).toEqual([0, 1, 2, 3, 4].map((s) => T0 + s * 1000));
    expect(j.attempts).toEqual([2, 1, null, 2, null]);
    expect(j.successes).toEqual([2, 0, null, 1, null]);
    expect(j.connectMin).toEqual([2, null, null, 3, null]);
    expect(j.connectAvg).toEqual([3, null, null, 3, null]);
    expect(j.connectMax).toEqual([4, null, null, 3, null]);
    expect(Object.keys(j.outcomes)).toEqual([...FAILURE_OUTCOMES]);
    expect(j.outcomes.refused).toEqual([0, 1, null, 0, null]);
    expect(j.outcomes.local_error).toEqual([0, 0, null, 1, null]);
    const objects = await c.req('GET', `/api/targets/${id}/history?${q}`);
    expect(objects.status).toBe(200);
    expect(toColumns(objects.json.buckets)).toEqual({
      t: j.t,
      attempts: j.attempts,
      successes: j.successes,
      connectMin: j.connectMin,
      connectAvg: j.connectAvg,
      connectMax: j.connectMax,
      outcomes: j.outcomes,
    });
    // round trip: the UI rebuilds exactly the object format's buckets (ratio over measured attempts)
    expect(bucketsFromColumns(j)).toEqual(objects.json.buckets);
    expect(objects.json.buckets[3].ratio).toBe(1);
  });

  it('allows 86,400 one-second buckets in columns, keeps 5,000 for objects, refuses over 100,000', async () => {
    const day = await c.req('GET', `/api/targets/${id}/history?from=${T0}&to=${T0 + DAY}&step=1&format=columns`);
    expect(day.status).toBe(200);
    expect(day.json.t).toHaveLength(86_400);
    expect(day.json.attempts.filter((a: number | null) => a !== null)).toHaveLength(3 + 2879);
    expect(day.json.attempts.slice(0, 4)).toEqual([2, 1, null, 2]);
    const objects = await c.req('GET', `/api/targets/${id}/history?from=${T0}&to=${T0 + DAY}&step=1`);
    expect(objects.status).toBe(400);
    expect(objects.json.fields.step).toMatch(/86,400 buckets; at most 5,000/);
    const tooMany = await c.req('GET', `/api/targets/${id}/history?from=${T0}&to=${T0 + 2 * DAY}&step=1&format=columns`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.fields.step).toMatch(/172,800 buckets; at most 100,000/);
    const bad = await c.req('GET', `/api/targets/${id}/history?format=rows`);
    expect(bad.status).toBe(400);
    expect(bad.json.fields.format).toMatch(/objects.*columns/);
  });

  it('keeps local-time buckets: hour buckets in Asia/Kolkata start at :30 UTC in both formats', async () => {
    const q = `from=${T0}&to=${T0 + 6 * 3_600_000}&step=3600&tz=Asia/Kolkata`;
    const cols = (await c.req('GET', `/api/targets/${id}/history?${q}&format=columns`)).json;
    const objects = (await c.req('GET', `/api/targets/${id}/history?${q}`)).json;
    expect(cols.tz).toBe('Asia/Kolkata');
    expect(cols.t).toEqual(objects.buckets.map((b: { t: number }) => b.t));
    expect(cols.t[0]).toBe(T0 - 30 * 60_000);
    expect(cols.t).toHaveLength(7);
    // 00:00–00:30 UTC holds the 5 first probes and 59 of the 30 s ones
    expect(cols.attempts[0]).toBe(5 + 59);
    expect(cols.attempts.slice(1, 6)).toEqual([120, 120, 120, 120, 120]);
  });

  it('columns equal the object format across a DST change (Europe/Berlin, 25 Oct 2026), raw and rolled up', async () => {
    const dst = (await createTarget(db, { name: 'dst', host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year' }, T0)).id;
    const start = Date.UTC(2026, 9, 24, 20, 0, 0);
    const rows: ProbeResult[] = [];
    for (let k = 0; k < 6 * 30; k++) rows.push(probe(dst, start + k * 10 * 60_000 + 7000, k % 5 === 0 ? 'timeout' : k % 11 === 0 ? 'local_error' : 'success', (k % 13) + 0.25));
    await storeBatch(db, rows);
    const change = Date.UTC(2026, 9, 25, 1, 0, 0);
    for (const [from, to, step] of [
      [start, start + 30 * 3_600_000, 3600],
      [start, start + 30 * 3_600_000, 86_400],
      [start, start + 30 * 3_600_000, 600],
      [change - 3_600_000, change + 3_600_000, 10],
      [change - 7_200_000, change + 7_200_000, 1800],
    ] as const) {
      const q = `from=${from}&to=${to}&step=${step}&tz=Europe/Berlin`;
      const cols = (await c.req('GET', `/api/targets/${dst}/history?${q}&format=columns`)).json;
      const objects = (await c.req('GET', `/api/targets/${dst}/history?${q}`)).json;
      const { from: _f, to: _t, step: _s, tz: _z, ...series } = cols;
      expect(series).toEqual(toColumns(objects.buckets));
      expect(cols.attempts.some((a: number | null) => a !== null)).toBe(true);
    }
  });

  it('raw mode: every probe as columns, oldest first, with ports and addresses; at most 24 h', async () => {
    const r = await c.req('GET', `/api/targets/${id}/results?from=${T0}&to=${T0 + 61_000}&format=columns`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const j = r.json;
    expect(j.truncated).toBe(false);
    expect(j.t).toEqual([T0, T0 + 500, T0 + 1000, T0 + 3000, T0 + 3001, T0 + 30_000, T0 + 60_000]);
    expect(j.outcome).toEqual(['success', 'success', 'refused', 'local_error', 'success', 'success', 'success']);
    expect(j.connectMs).toEqual([2, 4, null, null, 3, 1, 1]);
    expect(j.localPort).toEqual([50_001, 50_002, 50_003, 50_004, 50_005, 10_001, 10_002]);
    expect(j.localAddress).toEqual(new Array(7).fill('127.0.0.1'));
    expect(j.errorCode).toEqual([null, null, 'E', 'E', null, null, null]);
    const day = await c.req('GET', `/api/targets/${id}/results?from=${T0}&to=${T0 + DAY}&format=columns`);
    expect(day.json.t).toHaveLength(5 + 2879);
    const long = await c.req('GET', `/api/targets/${id}/results?from=${T0}&to=${T0 + DAY + 1}&format=columns`);
    expect(long.status).toBe(400);
    expect(long.json.fields.from).toMatch(/24 hours/);
    const paged = await c.req('GET', `/api/targets/${id}/results?from=${T0}&to=${T0 + 61_000}&limit=2`);
    expect(paged.json.results.map((x: ProbeResult) => x.startedAt)).toEqual([T0 + 60_000, T0 + 30_000]);
  });

  it('compresses JSON over a real @hono/node-server socket when asked, and only then', { timeout: 90_000 }, async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const headers = { cookie: c.cookie, 'accept-encoding': 'gzip' };
      for (const path of [`/api/targets/${id}/history?from=${T0}&to=${T0 + DAY}&step=1&format=columns`, `/api/targets/${id}/results?from=${T0}&to=${T0 + DAY}&format=columns`]) {
        // node's fetch would decode the body itself; read the raw bytes through node:http instead
        const raw = await rawGet(base + path, headers);
        expect(raw.status).toBe(200);
        expect(raw.headers['content-encoding']).toBe('gzip');
        expect(raw.headers.vary).toMatch(/accept-encoding/i);
        const plain = await rawGet(base + path, { cookie: c.cookie });
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(raw.body.length).toBeLessThan(plain.body.length / 5);
        expect(JSON.parse(gunzipSync(raw.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
      }
      // Brotli when the client takes it (preferred on equal q), deflate when gzip is refused, none for identity
      const small = `/api/targets/${id}/history?from=${T0}&to=${T0 + DAY}&step=60&format=columns`;
      const plain = await rawGet(base + small, { cookie: c.cookie });
      const decoders = { br: brotliDecompressSync, gzip: gunzipSync, deflate: inflateSync } as const;
      for (const [accept, enc] of [
        ['gzip, deflate, br', 'br'],
        ['*', 'br'],
        ['br;q=0.5, gzip', 'gzip'],
        ['gzip;q=0, deflate', 'deflate'],
        ['identity', undefined],
        ['br;q=0, gzip;q=0, deflate;q=0', undefined],
      ] as const) {
        const r = await rawGet(base + small, { cookie: c.cookie, 'accept-encoding': accept });
        expect([accept, r.headers['content-encoding']]).toEqual([accept, enc]);
        const text = enc ? decoders[enc](r.body).toString('utf8') : r.body.toString('utf8');
        expect(JSON.parse(text)).toEqual(JSON.parse(plain.body.toString('utf8')));
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

/** GET with node:http, returning the undecoded body. */
async function rawGet(url: string, headers: Record<string, string>) {
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}
