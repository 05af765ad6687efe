/** Target API on every store: CRUD, list filters and summaries, and the validation matrix. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeBatch } from '../src/store/rollups.js';
import type { ProbeResult } from '../src/domain/types.js';
import { testApp, type Client } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const NOW = Date.UTC(2031, 4, 6, 12, 0, 0);
const base = { name: 'Web', host: 'example.com', port: 443, intervalSeconds: 10, retentionValue: 7, retentionUnit: 'day' };
const label63 = 'a'.repeat(63);
const host253 = [label63, 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
const host254 = [label63, 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)].join('.');
const XSS = '<img src=x onerror=alert(1)>';

type Row = [label: string, patch: Record<string, unknown>, bad: string | null, expect?: Record<string, unknown>];
/** Each row is POSTed as base + patch: `bad` null → 201 (and `expect` fields match), else 400 with exactly that field. */
const MATRIX: Row[] = [
  ['name empty', { name: '' }, 'name'],
  ['name blank', { name: '   ' }, 'name'],
  ['name missing', { name: undefined }, 'name'],
  ['name not a string', { name: 5 }, 'name'],
  ['name 100 chars', { name: 'n'.repeat(100) }, null, { name: 'n'.repeat(100) }],
  ['name 101 chars', { name: 'n'.repeat(101) }, 'name'],
  ['name 100 emoji', { name: '😀'.repeat(100) }, null, { name: '😀'.repeat(100) }],
  ['name 101 emoji', { name: '😀'.repeat(101) }, 'name'],
  ['name markup verbatim', { name: XSS }, null, { name: XSS }],
  ['name with NUL', { name: 'a\u0000b' }, 'name'],
  ['name with a lone surrogate', { name: 'a\ud800' }, 'name'],
  ['name with a newline', { name: 'a\nb' }, 'name'],
  ...['example.com', 'example.com.', 'münchen.de', '10.0.0.1', '::1', '2001:db8::1', `${label63}.example`, host253].map((host): Row => [`host ${host.slice(0, 30)} ok`, { host }, null, { host }]),
  // IP literals are stored in one canonical form (issue 8; RFC 5952)
  ...[
    ['[::1]', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['[::FFFF:192.0.2.1]', '::ffff:192.0.2.1'],
  ].map(([host, stored]): Row => [`host ${host} stored as ${stored}`, { host }, null, { host: stored }]),
  ...[
    'a..b',
    `${'x'.repeat(64)}.com`,
    host254,
    '999.1.1.1',
    '1.2.3',
    '[example.com]',
    'exa mple.com',
    'example.com:80',
    '10.0.0.1:80',
    '[::1]:80',
    '',
    `a${'\u00ad'.repeat(300)}.com`,
    'a@b',
    'x@localhost',
    'host/path',
    'host?q',
    'host#f',
    'ex%41mple.com',
  ].map((host): Row => [`host ${JSON.stringify(host.slice(0, 30))} bad`, { host }, 'host']),
  // invisible format characters (issue "Security" §5): IDNA mapping would drop them, so the name shown is not the one dialled
  ...['\u200b', '\u200c', '\u200d', '\u00ad', '\ufeff', '\u2060', '\u180e', '\u034f', '\ufe0f'].map((ch): Row => [
    `host with U+${ch.codePointAt(0)!.toString(16)}`,
    { host: `exam${ch}ple.com` },
    'host',
  ]),
  ['host missing', { host: undefined }, 'host'],
  ['port 0', { port: 0 }, 'port'],
  ['port 1', { port: 1 }, null, { port: 1 }],
  ['port 65535', { port: 65535 }, null, { port: 65535 }],
  ['port 65536', { port: 65536 }, 'port'],
  ['port 12345', { port: 12345 }, null, { port: 12345 }],
  ['port "80"', { port: '80' }, 'port'],
  ['port 1.5', { port: 1.5 }, 'port'],
  ['port -1', { port: -1 }, 'port'],
  ['port null', { port: null }, 'port'],
  ['interval 0', { intervalSeconds: 0 }, 'intervalSeconds'],
  ['interval 1', { intervalSeconds: 1 }, null, { intervalSeconds: 1, timeoutMs: null, effectiveTimeoutMs: 1000 }],
  ['interval 86400', { intervalSeconds: 86400 }, null, { intervalSeconds: 86400, effectiveTimeoutMs: 60000 }],
  ['interval 86401', { intervalSeconds: 86401 }, 'intervalSeconds'],
  ['interval 1.5', { intervalSeconds: 1.5 }, 'intervalSeconds'],
  ['timeout omitted', {}, null, { timeoutMs: null, effectiveTimeoutMs: 10000 }],
  ['timeout omitted, long interval', { intervalSeconds: 120 }, null, { timeoutMs: null, effectiveTimeoutMs: 60000 }],
  ['timeout 99', { timeoutMs: 99 }, 'timeoutMs'],
  ['timeout 100', { timeoutMs: 100 }, null, { timeoutMs: 100, effectiveTimeoutMs: 100 }],
  ['timeout = interval', { timeoutMs: 10000 }, null, { timeoutMs: 10000, effectiveTimeoutMs: 10000 }],
  ['timeout > interval', { timeoutMs: 10001 }, 'timeoutMs'],
  ['timeout > 60 s', { intervalSeconds: 120, timeoutMs: 60001 }, 'timeoutMs'],
  ['timeout null', { timeoutMs: null }, null, { timeoutMs: null, effectiveTimeoutMs: 10000 }],
  ['timeout 1.5', { timeoutMs: 150.5 }, 'timeoutMs'],
  ...['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'].map((u): Row => [`unit ${u}`, { retentionUnit: u }, null, { retentionUnit: u }]),
  ['unit days', { retentionUnit: 'days' }, 'retentionUnit'],
  ['retention 0', { retentionValue: 0 }, 'retentionValue'],
  ['retention 100000', { retentionValue: 100000 }, null, { retentionValue: 100000 }],
  ['retention 100001', { retentionValue: 100001 }, 'retentionValue'],
  ['enabled "yes"', { enabled: 'yes' }, 'enabled'],
  ['enabled 1', { enabled: 1 }, 'enabled'],
  ['enabled false', { enabled: false }, null, { enabled: false }],
  ['unknown field', { color: 'red' }, 'color'],
];

describe.each(STORES)('targets API on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let c: Client;
  beforeAll(async () => {
    s = await store.open();
    c = (await testApp(s.db, { now: () => NOW })).client();
    await c.login('admin', 'correct horse');
  });
  afterAll(() => s.cleanup());

  const create = async (patch: Record<string, unknown> = {}) => {
    const r = await c.req('POST', '/api/targets', { ...base, ...patch });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json;
  };

  it('creates, reads, merges a partial PUT, and deletes', async () => {
    const t = await create();
    expect(t).toEqual({
      id: expect.any(Number),
      ...base,
      timeoutMs: null,
      effectiveTimeoutMs: 10000,
      enabled: true,
      failureThreshold: 3,
      recoveryThreshold: 1,
      createdAt: NOW,
      updatedAt: NOW,
      // wire settings default to today's behaviour (issue 8)
      sourceAddress: null,
      sourcePortMin: null,
      sourcePortMax: null,
      closeMode: 'fin',
      addressFamily: 'any',
      addressPolicy: 'fallback',
      // probed from the location `default` (issue 10)
      locations: [],
    });
    expect((await c.req('GET', `/api/targets/${t.id}`)).json).toEqual(t);
    const put = await c.req('PUT', `/api/targets/${t.id}`, { port: 8443, timeoutMs: 2500 });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ...t, port: 8443, timeoutMs: 2500, effectiveTimeoutMs: 2500 });
    expect((await c.req('GET', `/api/targets/${t.id}`)).json).toEqual(put.json);
    const off = await c.req('PUT', `/api/targets/${t.id}`, { enabled: false, timeoutMs: null });
    expect(off.json).toMatchObject({ enabled: false, timeoutMs: null, effectiveTimeoutMs: 10000, port: 8443, name: 'Web' });
    const del = await c.req('DELETE', `/api/targets/${t.id}`);
    expect(del.status).toBe(204);
    expect((await c.req('GET', `/api/targets/${t.id}`)).status).toBe(404);
    expect((await c.req('DELETE', `/api/targets/${t.id}`)).status).toBe(404);
  });

  it.each(['999999', 'abc', '99999999999999999999', '2147483648', '1.5', '-1', '0', '1e3'])('404 for id %s on GET, PUT and DELETE', async (id) => {
    for (const [method, body] of [['GET'], ['PUT', { port: 80 }], ['DELETE']] as const) {
      const r = await c.req(method, `/api/targets/${id}`, body);
      expect(r.status, `${method} ${id}`).toBe(404);
      expect(r.json.error).toBe('not_found');
    }
  });

  it('refuses invisible characters in a host on update too, naming the code point, and keeps the stored host', async () => {
    const t = await create({ host: 'example.org' });
    const r = await c.req('PUT', `/api/targets/${t.id}`, { host: 'exa\u200bmple.org' });
    expect(r.status).toBe(400);
    expect(r.json.fields.host).toMatch(/U\+200B.*position 4/);
    expect((await c.req('GET', `/api/targets/${t.id}`)).json.host).toBe('example.org');
  });

  it('lists with q (name, host, exact port) and enabled filters', async () => {
    const a = await create({ name: 'Zq Alpha', host: 'alpha.zq.test', port: 47123 });
    const b = await create({ name: 'Beta', host: 'db.zq.internal', port: 5432, enabled: false });
    const g = await create({ name: 'Gamma', host: '10.47.0.8', port: 8080 });
    const ids = async (query: string) => ((await c.req('GET', `/api/targets${query}`)).json.targets as { id: number }[]).map((t) => t.id);
    expect(await ids('?q=zq%20alp')).toEqual([a.id]);
    expect(await ids('?q=ALPHA')).toEqual([a.id]);
    expect(await ids('?q=zq.internal')).toEqual([b.id]);
    expect(await ids('?q=47123')).toEqual([a.id]);
    expect(await ids('?q=4712')).toEqual([]);
    expect(await ids('?q=10.47')).toEqual([g.id]);
    expect(await ids('?q=%25')).toEqual([]);
    const disabled = (await c.req('GET', '/api/targets?enabled=false')).json.targets;
    expect(disabled.map((t: { id: number }) => t.id)).toContain(b.id);
    expect(disabled.every((t: { enabled: boolean }) => t.enabled === false)).toBe(true);
    const enabled = await ids('?enabled=true&q=zq');
    expect(enabled).toEqual([a.id]);
    expect((await c.req('GET', '/api/targets?enabled=maybe')).json.fields).toHaveProperty('enabled');
    expect((await c.req('GET', `/api/targets?q=${'x'.repeat(301)}`)).json.fields).toHaveProperty('q');
  });

  it('reports lastResult and ratio24h, null without results', async () => {
    const quiet = await create({ name: 'Quiet' });
    const busy = await create({ name: 'Busy' });
    const r = (startedAt: number, outcome: ProbeResult['outcome']): ProbeResult => ({
      targetId: busy.id,
      startedAt,
      outcome,
      connectMs: outcome === 'success' ? 1.25 : null,
      dnsMs: null,
      address: '10.0.0.1',
      localPort: 40000,
      errorCode: outcome === 'success' ? null : 'ECONNREFUSED',
      scheduledAt: startedAt - 1,
      localAddress: '10.0.0.9',
      closeMode: 'rst',
      addresses: [
        { address: '10.0.0.2', outcome: 'refused', startedAt: startedAt - 1, connectMs: null, localPort: 40000, errorCode: 'ECONNREFUSED' },
        { address: '10.0.0.1', outcome, startedAt, connectMs: null, localPort: 40000, errorCode: null },
      ],
    });
    // The ratio covers the last 24 whole hours (NOW is on the hour): the 25 h old failure is out.
    const rows = [r(NOW - 25 * 3_600_000, 'refused'), r(NOW - 3_600_000, 'success'), r(NOW - 120_000, 'refused'), r(NOW - 60_000, 'success'), r(NOW - 1000, 'success')];
    await storeBatch(s.db, rows); // the writer's path: raw rows + rollups
    const list = (await c.req('GET', '/api/targets')).json.targets as { id: number; lastResult: unknown; ratio24h: number | null }[];
    const q = list.find((t) => t.id === quiet.id)!;
    expect(q.lastResult).toBeNull();
    expect(q.ratio24h).toBeNull();
    const b = list.find((t) => t.id === busy.id)!;
    expect(b.ratio24h).toBe(0.75);
    // stored before any node stamped it: no location or node (issue 10)
    expect(b.lastResult).toEqual({ ...rows[4], location: null, node: null });
  });

  it.each(MATRIX)('POST validation: %s', async (_label, patch, bad, expected) => {
    const r = await c.req('POST', '/api/targets', { ...base, ...patch });
    if (bad === null) {
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      expect(r.json).toMatchObject(expected ?? {});
      expect((await c.req('GET', `/api/targets/${r.json.id}`)).json).toEqual(r.json);
    } else {
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(r.json.error).toBe('validation');
      expect(Object.keys(r.json.fields)).toEqual([bad]);
      expect(r.json.fields[bad]).toEqual(expect.any(String));
    }
  });

  it.each([
    ['malformed JSON', '{"name":', 'application/json'],
    ['an array', '[]', 'application/json'],
    ['a number', '42', 'application/json'],
    ['null', 'null', 'application/json'],
  ])('400 (never 500) for a body that is %s, on POST and PUT', async (_l, body, type) => {
    const t = await create({ name: 'Body' });
    for (const [method, path] of [
      ['POST', '/api/targets'],
      ['PUT', `/api/targets/${t.id}`],
    ]) {
      // from our own page (Origin): a form-encodable type without it is refused as CSRF first (http-security.test.ts)
      const r = await c.req(method!, path!, body, { 'content-type': type, origin: 'http://localhost' });
      expect(r.status, `${method} ${JSON.stringify(r.json)}`).toBe(400);
      expect(['validation', 'bad_request']).toContain(r.json.error);
    }
    expect((await c.req('GET', `/api/targets/${t.id}`)).json).toEqual(t);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['no content type', ''],
  ])('415 {error, message} for a JSON body sent as %s, on POST and PUT', async (_l, type) => {
    const t = await create({ name: 'Typed' });
    for (const [method, path] of [
      ['POST', '/api/targets'],
      ['PUT', `/api/targets/${t.id}`],
    ]) {
      const r = await c.req(method!, path!, JSON.stringify(base), { 'content-type': type, origin: 'http://localhost' });
      expect(r.status, `${method} ${JSON.stringify(r.json)}`).toBe(415);
      expect(r.json).toEqual({ error: 'unsupported_media_type', message: 'Send the body as JSON (Content-Type: application/json).' });
    }
    expect((await c.req('GET', `/api/targets/${t.id}`)).json).toEqual(t);
  });

  it('PUT validates the merged target and leaves it unchanged on error', async () => {
    const t = await create({ intervalSeconds: 10, timeoutMs: 5000 });
    for (const [patch, field] of [
      [{ intervalSeconds: 2 }, 'timeoutMs'],
      [{ name: ' ' }, 'name'],
      [{ host: 'a..b' }, 'host'],
      [{ id: 5 }, 'id'],
      [{ createdAt: 1 }, 'createdAt'],
    ] as const) {
      const r = await c.req('PUT', `/api/targets/${t.id}`, patch);
      expect(r.status).toBe(400);
      expect(Object.keys(r.json.fields)).toEqual([field]);
    }
    expect((await c.req('GET', `/api/targets/${t.id}`)).json).toEqual(t);
    const ok = await c.req('PUT', `/api/targets/${t.id}`, { intervalSeconds: 2, timeoutMs: 2000 });
    expect(ok.json).toMatchObject({ intervalSeconds: 2, timeoutMs: 2000, effectiveTimeoutMs: 2000 });
  });

  it('needs a session', async () => {
    const anon = (await testApp(s.db, { setupToken: null })).client();
    expect((await anon.req('GET', '/api/targets')).status).toBe(401);
    expect((await anon.req('POST', '/api/targets', base)).status).toBe(401);
  });
});
