/** The probe against real loopback peers: every outcome it can see here, and what it records. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../src/actors/probe.js';
import type { Outcome } from '../src/domain/types.js';
import { blackhole, closedPort, hasIPv6, listener } from './helpers/net.js';

type Peer = { port: number; close(): Promise<void> };
const peers: Record<string, Peer> = {};
let ipv6 = false;

beforeAll(async () => {
  ipv6 = await hasIPv6();
  peers.open = await listener();
  peers.acceptClose = await listener('127.0.0.1', (s) => s.destroy());
  peers.blackhole = await blackhole();
  const closed = await closedPort();
  peers.closed = { port: closed, close: async () => undefined };
  if (ipv6) peers.open6 = await listener('::1');
});
afterAll(async () => {
  for (const p of Object.values(peers)) await p.close();
});

interface Case {
  name: string;
  host: string;
  peer: string;
  timeoutMs?: number;
  outcome: Outcome;
  handshake: boolean;
  address: string | null;
  dns: boolean;
  errorCode: string | null;
  v6?: boolean;
}

const cases: Case[] = [
  { name: 'listener → success', host: '127.0.0.1', peer: 'open', outcome: 'success', handshake: true, address: '127.0.0.1', dns: false, errorCode: null },
  { name: 'accept then close → still success', host: '127.0.0.1', peer: 'acceptClose', outcome: 'success', handshake: true, address: '127.0.0.1', dns: false, errorCode: null },
  { name: 'closed port → refused', host: '127.0.0.1', peer: 'closed', outcome: 'refused', handshake: false, address: '127.0.0.1', dns: false, errorCode: 'ECONNREFUSED' },
  {
    name: 'full backlog, never accepts → timeout',
    host: '127.0.0.1',
    peer: 'blackhole',
    timeoutMs: 300,
    outcome: 'timeout',
    handshake: false,
    address: '127.0.0.1',
    dns: false,
    errorCode: 'ETIMEDOUT',
  },
  { name: 'unresolvable name → dns_error', host: 'does-not-exist.invalid', peer: 'open', outcome: 'dns_error', handshake: false, address: null, dns: true, errorCode: 'ENOTFOUND' },
  { name: 'name with trailing dot resolves', host: 'localhost.', peer: 'open', outcome: 'success', handshake: true, address: '127.0.0.1', dns: true, errorCode: null },
  { name: '::1 → success', host: '::1', peer: 'open6', outcome: 'success', handshake: true, address: '::1', dns: false, errorCode: null, v6: true },
  { name: '[::1] (brackets stripped) → success', host: '[::1]', peer: 'open6', outcome: 'success', handshake: true, address: '::1', dns: false, errorCode: null, v6: true },
];

describe('probe', () => {
  it.each(cases)('$name', async (c) => {
    if (c.v6 && !ipv6) {
      console.warn(`skipped "${c.name}": this machine cannot listen on ::1`);
      return;
    }
    const before = Date.now();
    const r = await probe({ targetId: 7, host: c.host, port: peers[c.peer]!.port, timeoutMs: c.timeoutMs ?? 2000 });
    expect(r.outcome).toBe(c.outcome);
    expect(r.targetId).toBe(7);
    expect(r.errorCode).toBe(c.errorCode);
    expect(r.address).toBe(c.address);
    expect(r.startedAt).toBeGreaterThanOrEqual(before);
    expect(r.startedAt).toBeLessThanOrEqual(Date.now());
    if (c.handshake) {
      expect(r.connectMs).toBeGreaterThan(0);
      expect(r.connectMs).toBeLessThan(1000);
      expect(r.localPort).toBeGreaterThan(0);
    } else {
      expect(r.connectMs).toBeNull();
    }
    if (c.dns) expect(r.dnsMs).toBeGreaterThanOrEqual(0);
    else expect(r.dnsMs).toBeNull();
    if (c.outcome === 'refused' || c.outcome === 'timeout') expect(r.localPort).toBeGreaterThan(0);
  });

  it('a timeout ends at the budget, not at the kernel’s SYN retry limit', async () => {
    const t0 = performance.now();
    const r = await probe({ targetId: 1, host: '127.0.0.1', port: peers.blackhole!.port, timeoutMs: 250 });
    const took = performance.now() - t0;
    expect(r.outcome).toBe('timeout');
    expect(took).toBeGreaterThanOrEqual(240);
    expect(took).toBeLessThan(2000);
  });

  it('the listener sees the probe connect and then a FIN (clean close, not RST)', async () => {
    let resolveEnd!: (how: string) => void;
    const ended = new Promise<string>((r) => (resolveEnd = r));
    const peer = await listener('127.0.0.1', (s) => {
      s.on('end', () => resolveEnd('fin'));
      s.on('error', (e: NodeJS.ErrnoException) => resolveEnd(e.code ?? 'error'));
      s.resume();
    });
    const r = await probe({ targetId: 1, host: '127.0.0.1', port: peer.port, timeoutMs: 1000 });
    expect(r.outcome).toBe('success');
    expect(await ended).toBe('fin');
    await peer.close();
  });

  it('each probe uses a fresh source port and records it', async () => {
    const a = await probe({ targetId: 1, host: '127.0.0.1', port: peers.open!.port, timeoutMs: 1000 });
    const b = await probe({ targetId: 1, host: '127.0.0.1', port: peers.open!.port, timeoutMs: 1000 });
    expect(a.localPort).not.toBe(b.localPort);
  });
});
