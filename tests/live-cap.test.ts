/**
 * The cap on open live event streams (`NETWATCH_MAX_EVENT_STREAMS`): the real app on a real
 * loopback socket, on every store (a stream checks its session there). Past the cap a stream gets
 * 503 `busy` with Retry-After and the error shape; a slot is free again once a stream ends, whether
 * the client went away or the server ended it (resync).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { LiveService } from '../src/live/service.js';
import { testApp } from './helpers/app.js';
import { openSse, type SseStream } from './helpers/sse.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

describe.each(STORES)('live stream cap on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let live: LiveService;
  let server: ReturnType<typeof serve>;
  let url: string;
  let cookie: string;
  const open: SseStream[] = [];
  const sse = async (path = '/api/events/stream') => {
    const st = await openSse(url + path, { cookie });
    open.push(st);
    return st;
  };
  const third = () => fetch(`${url}/api/events/stream`, { headers: { cookie, accept: 'text/event-stream' } });

  beforeAll(async () => {
    s = await store.open();
    const app = await testApp(s.db, { env: { NETWATCH_MAX_EVENT_STREAMS: '2' } });
    live = new LiveService(app.deps);
    app.deps.live = live;
    server = serve({ fetch: buildApp(app.deps, '/nonexistent-ui').fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'correct horse' }) });
    expect(res.status).toBe(204);
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  });
  afterAll(async () => {
    for (const st of open) st.close();
    live?.stop();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await s?.cleanup();
  });

  it('refuses a stream past the cap with 503, Retry-After and {error, message}; frees the slot when a client leaves', async () => {
    const a = await sse();
    await sse();
    await a.next((e) => e.comment === 'open');
    const refused = await third();
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe('busy');
    expect(body.message).toMatch(/at most 2/);
    a.close();
    await waitFor(() => live.openStreams < 2, 5000, 'the slot to be given back');
    const c = await sse();
    expect(c.status).toBe(200);
    for (const st of open) st.close();
    await waitFor(() => live.openStreams === 0, 5000, 'every slot to be given back');
  });

  it('frees the slot of a stream the server ends (resync)', async () => {
    const ended = await Promise.all([sse('/api/events/stream?after=zzzz.5'), sse('/api/events/stream?after=zzzz.5')]);
    await waitFor(() => ended.every((st) => st.ended), 5000, 'the server to end both streams');
    await waitFor(() => live.openStreams === 0, 5000, 'the slots to be given back');
    expect((await sse()).status).toBe(200);
  });

  it('a HEAD of the stream answers the headers and holds no slot', async () => {
    for (const st of open) st.close();
    await waitFor(() => live.openStreams === 0, 5000, 'the earlier streams to end');
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${url}/api/events/stream`, { method: 'HEAD', headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    }
    await waitFor(() => live.openStreams === 0, 5000, 'no slot held by a HEAD');
    expect((await sse()).status).toBe(200);
  });

  it('reads the cap from NETWATCH_MAX_EVENT_STREAMS only, with a default and per-variable errors', async () => {
    const { loadConfig, DEFAULT_MAX_EVENT_STREAMS } = await import('../src/config.js');
    expect(loadConfig({}).maxEventStreams).toBe(DEFAULT_MAX_EVENT_STREAMS);
    expect(() => loadConfig({ NETWATCH_MAX_EVENT_STREAMS: '0' })).toThrow(/NETWATCH_MAX_EVENT_STREAMS/);
    expect(() => loadConfig({ NETWATCH_MAX_EVENT_STREAMS: 'lots' })).toThrow(/NETWATCH_MAX_EVENT_STREAMS/);
  });
});
