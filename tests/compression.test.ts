/**
 * The API's compression middleware (src/http/compression.ts) over a real @hono/node-server socket
 * on loopback: the 1 KiB threshold holds for `c.json` answers (no Content-Length) and error bodies,
 * a streamed JSON body is compressed without being read to its end first, and an Accept-Encoding
 * q-value outside the RFC 9110 grammar (`gzip;q=abc`) does not count as accepted.
 */
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressJson } from '../src/http/compression.js';

const big = { items: Array.from({ length: 200 }, (_, i) => ({ i, name: `target-${i}` })) };
let release: () => void = () => {};
const app = new Hono();
app.use('*', compressJson());
app.get('/me', (c) => c.json({ id: 1, username: 'admin', role: 'admin', mustChangePassword: false }));
app.get('/missing', (c) => c.json({ error: 'not_found', message: 'no such target' }, 404));
app.get('/big', (c) => c.json(big));
app.get('/stream', (c) => {
  // 2 KiB at once, then nothing until the test releases the end: headers must come before that
  const gate = new Promise<void>((r) => (release = r));
  const body = new ReadableStream<Uint8Array>({
    async start(ctl) {
      ctl.enqueue(new TextEncoder().encode(`{"pad":"${'x'.repeat(2048)}"`));
      await gate;
      ctl.enqueue(new TextEncoder().encode('}'));
      ctl.close();
    },
  });
  return c.body(body, 200, { 'Content-Type': 'application/json' });
});

let server: ReturnType<typeof serve>;
let base = '';
beforeAll(async () => {
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

/** GET with node:http: status and headers as soon as they arrive, the undecoded body later. */
function get(path: string, accept?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Promise<Buffer> }>((resolve, reject) => {
    request(base + path, { headers: accept ? { 'accept-encoding': accept } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      const body = new Promise<Buffer>((ok) => res.on('end', () => ok(Buffer.concat(chunks))));
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
    })
      .on('error', reject)
      .end();
  });
}

describe('compressJson', () => {
  it('sends JSON under 1 KiB (answers and errors) uncompressed with its length, larger JSON compressed', async () => {
    for (const [path, status] of [
      ['/me', 200],
      ['/missing', 404],
    ] as const) {
      const r = await get(path, 'gzip, deflate, br');
      const body = await r.body;
      expect([path, r.status, r.headers['content-encoding']]).toEqual([path, status, undefined]);
      expect(r.headers['content-length']).toBe(String(body.length));
      expect(body.length).toBeLessThan(1024);
      expect(JSON.parse(body.toString('utf8'))).toHaveProperty(path === '/me' ? 'username' : 'error');
    }
    const r = await get('/big', 'gzip');
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(await r.body).toString('utf8'))).toEqual(big);
  });

  it('compresses a streamed JSON body without waiting for its end', async () => {
    const r = await get('/stream', 'gzip');
    expect(r.headers['content-encoding']).toBe('gzip');
    release();
    const text = gunzipSync(await r.body).toString('utf8');
    expect(JSON.parse(text).pad).toHaveLength(2048);
  });

  it('does not count a q-value that is not a number as accepted', async () => {
    for (const [accept, enc] of [
      ['gzip;q=abc', undefined],
      ['gzip;q=abc, deflate;q=0.5', 'deflate'],
      ['*;q=x', undefined],
      ['gzip;q=1.5', undefined],
      ['gzip;q=0.001', 'gzip'],
    ] as const) {
      const r = await get('/big', accept);
      await r.body;
      expect([accept, r.headers['content-encoding']]).toEqual([accept, enc]);
    }
  });
});
