/**
 * Wire settings of a target through the API on every store (issue 8): defaults, canonical IP
 * literals, per-field messages for every rule, the host-interface check (the interface list is
 * injected, so the test decides what the host has), and PUT merging. The wire itself is
 * tests/wire.test.ts; the probe's port cycling on loopback is tests/probe-wire.test.ts.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minFinPortRange } from '../src/domain/wire-rules.js';
import { testApp, type Client } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const info = (address: string): NetworkInterfaceInfo =>
  address.includes(':')
    ? { address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal: false, cidr: `${address}/64`, scopeid: 0 }
    : { address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: `${address}/24` };

let hostHas = ['127.0.0.1', '::1', '192.0.2.10', '2001:db8::10', 'fe80::1%eth0'];
const interfaces = () => ({ lo: hostHas.filter((a) => a === '127.0.0.1' || a === '::1').map(info), eth0: hostHas.filter((a) => a !== '127.0.0.1' && a !== '::1').map(info) });
const base = { name: 'Spoke', host: '198.51.100.7', port: 443, intervalSeconds: 1, retentionValue: 7, retentionUnit: 'day' };

type Case = [string, Record<string, unknown>, string | null, Record<string, unknown>?, RegExp?];
const CASES: Case[] = [
  ['source address canonical (long IPv6)', { host: '2001:db8::99', sourceAddress: '2001:0DB8:0:0:0:0:0:10' }, null, { sourceAddress: '2001:db8::10', host: '2001:db8::99' }],
  ['source address in brackets', { host: '::1', sourceAddress: '[0:0:0:0:0:0:0:1]' }, null, { sourceAddress: '::1' }],
  ['source address link-local', { host: 'spoke.example', sourceAddress: 'FE80::1' }, 'sourceAddress', undefined, /link-local/],
  ['source address IPv4', { sourceAddress: '192.0.2.10' }, null, { sourceAddress: '192.0.2.10' }],
  ['source address null', { sourceAddress: null }, null, { sourceAddress: null }],
  ['source address a name', { sourceAddress: 'hub.example' }, 'sourceAddress', undefined, /IPv4 or IPv6 address \(not a name\)/],
  [
    'source address not on the host',
    { sourceAddress: '192.0.2.11' },
    'sourceAddress',
    undefined,
    /192\.0\.2\.11 is not an address of this host; the host has: 127\.0\.0\.1, 192\.0\.2\.10, 2001:db8::10, ::1, fe80::1\./,
  ],
  ['source IPv6, host IPv4', { sourceAddress: '2001:db8::10' }, 'sourceAddress', undefined, /IPv6 but the host is an IPv4 address/],
  ['source IPv4, host IPv6', { host: '[2001:db8::99]', sourceAddress: '192.0.2.10' }, 'sourceAddress', undefined, /IPv4 but the host is an IPv6 address/],
  ['source IPv4, family ipv6', { host: 'spoke.example', sourceAddress: '192.0.2.10', addressFamily: 'ipv6' }, 'sourceAddress', undefined, /address family is ipv6/],
  ['family ipv6, host IPv4', { addressFamily: 'ipv6' }, 'addressFamily', undefined, /ipv6 but the host is an IPv4/],
  ['family ipv4 for a name', { host: 'spoke.example', addressFamily: 'ipv4' }, null, { addressFamily: 'ipv4' }],
  ['family bogus', { addressFamily: 'ip4' }, 'addressFamily', undefined, /one of any, ipv4, ipv6/],
  ['policy first', { addressPolicy: 'first' }, null, { addressPolicy: 'first' }],
  ['policy bogus', { addressPolicy: 'all' }, 'addressPolicy'],
  ['close rst', { closeMode: 'rst' }, null, { closeMode: 'rst' }],
  ['close bogus', { closeMode: 'RST' }, 'closeMode', undefined, /one of fin, rst/],
  ['ports min only', { sourcePortMin: 40000 }, 'sourcePortMax', undefined, /both ends/],
  ['ports max only', { sourcePortMax: 40000 }, 'sourcePortMin', undefined, /both ends/],
  ['ports min > max', { sourcePortMin: 40001, sourcePortMax: 40000, closeMode: 'rst' }, 'sourcePortMax', undefined, /below/],
  ['port 1023', { sourcePortMin: 1023, sourcePortMax: 2000, closeMode: 'rst' }, 'sourcePortMin', undefined, /at least 1,024/],
  ['port 65536', { sourcePortMin: 2000, sourcePortMax: 65536, closeMode: 'rst' }, 'sourcePortMax', undefined, /at most 65,535/],
  ['port "40000"', { sourcePortMin: '40000', sourcePortMax: 40000, closeMode: 'rst' }, 'sourcePortMin'],
  ['fixed port + rst at 1 s', { sourcePortMin: 40000, sourcePortMax: 40000, closeMode: 'rst' }, null, { sourcePortMin: 40000, sourcePortMax: 40000, closeMode: 'rst' }],
  ['fixed port + fin at 1 s', { sourcePortMin: 40000, sourcePortMax: 40000 }, 'sourcePortMax', undefined, /at least 64 ports \(it has 1\); widen it or use close mode rst/],
  ['63 ports + fin at 1 s', { sourcePortMin: 40000, sourcePortMax: 40062 }, 'sourcePortMax', undefined, /at least 64 ports \(it has 63\)/],
  ['64 ports + fin at 1 s', { sourcePortMin: 40000, sourcePortMax: 40063 }, null, { sourcePortMin: 40000, sourcePortMax: 40063, closeMode: 'fin' }],
  ['fixed port + fin at 130 s (TIME_WAIT + 60 s timeout + linger fit)', { intervalSeconds: 130, sourcePortMin: 40000, sourcePortMax: 40000 }, null, { sourcePortMax: 40000 }],
  ['2 ports + fin at 60 s, 1 s timeout', { intervalSeconds: 60, timeoutMs: 1000, sourcePortMin: 40000, sourcePortMax: 40001 }, null, { sourcePortMax: 40001 }],
  ['2 ports + fin at 60 s, 60 s timeout', { intervalSeconds: 60, sourcePortMin: 40000, sourcePortMax: 40001 }, 'sourcePortMax', undefined, /at least 3 ports/],
];

describe('minFinPortRange', () => {
  it('TIME_WAIT (60 s) + timeout + linger, one port per interval', () => {
    expect(minFinPortRange(1, 1000)).toBe(64);
    expect(minFinPortRange(10, 10_000)).toBe(8);
    expect(minFinPortRange(61, 1000)).toBe(2);
    expect(minFinPortRange(3600, 60_000)).toBe(1);
  });
});

describe.each(STORES)('wire settings API on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let c: Client;
  beforeAll(async () => {
    s = await store.open();
    c = (await testApp(s.db, { interfaces })).client();
    await c.login('admin', 'correct horse');
  });
  afterAll(() => s.cleanup());

  it.each(CASES)('%s', async (_, patch, bad, expected, message) => {
    const r = await c.req('POST', '/api/targets', { ...base, ...patch });
    if (bad === null) {
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      expect(r.json).toMatchObject(expected ?? {});
      expect((await c.req('GET', `/api/targets/${r.json.id}`)).json).toEqual(r.json);
    } else {
      expect(r.status).toBe(400);
      expect(r.json.error).toBe('validation');
      expect(Object.keys(r.json.fields)).toContain(bad);
      if (message) expect(r.json.fields[bad]).toMatch(message);
    }
  });

  it('PUT merges onto the stored settings and validates the whole; a stored source address that left the host does not block other edits', async () => {
    hostHas = ['127.0.0.1', '::1', '192.0.2.10', '2001:db8::10'];
    const t = (await c.req('POST', '/api/targets', { ...base, sourceAddress: '192.0.2.10', sourcePortMin: 40000, sourcePortMax: 40009, closeMode: 'rst' })).json;
    const fin = await c.req('PUT', `/api/targets/${t.id}`, { closeMode: 'fin' });
    expect(fin.status).toBe(400);
    expect(fin.json.fields.sourcePortMax).toMatch(/at least 64 ports \(it has 10\)/);
    hostHas = ['127.0.0.1', '::1'];
    const renamed = await c.req('PUT', `/api/targets/${t.id}`, { name: 'Renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: 'Renamed', sourceAddress: '192.0.2.10', sourcePortMin: 40000, sourcePortMax: 40009, closeMode: 'rst' });
    const moved = await c.req('PUT', `/api/targets/${t.id}`, { sourceAddress: '192.0.2.11' });
    expect(moved.status).toBe(400);
    expect(moved.json.fields.sourceAddress).toMatch(/the host has: 127\.0\.0\.1, ::1\./);
    const cleared = await c.req('PUT', `/api/targets/${t.id}`, { sourceAddress: null, sourcePortMin: null, sourcePortMax: null });
    expect(cleared.status).toBe(200);
    expect(cleared.json).toMatchObject({ sourceAddress: null, sourcePortMin: null, sourcePortMax: null, closeMode: 'rst' });
    hostHas = ['127.0.0.1', '::1', '192.0.2.10', '2001:db8::10', 'fe80::1%eth0'];
  });
});
