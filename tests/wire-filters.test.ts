/**
 * Capture filters (src/domain/wire-filters.ts): one test per vendor on the exact strings, and the BPF
 * expression run by a real tcpdump on loopback: it must capture the hub's SYNs and nothing else.
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { wireFilters, type WireFilterInput } from '../src/domain/wire-filters.js';
import { hasIPv6, listener } from './helpers/net.js';

const plain: WireFilterInput = { targetId: 7, addresses: ['192.0.2.10'], host: 'spoke.example', port: 443 };
const pinned: WireFilterInput = { ...plain, sourceAddress: '198.51.100.5', sourcePortMin: 40000, sourcePortMax: 40099 };
const fixed: WireFilterInput = { ...plain, sourceAddress: '198.51.100.5', sourcePortMin: 40000, sourcePortMax: 40000 };

describe('BPF / tcpdump', () => {
  it('matches SYNs to the destination and port, adding source host and port range when set', () => {
    expect(wireFilters(plain).bpf).toBe('tcp[tcpflags] & tcp-syn != 0 and dst host 192.0.2.10 and dst port 443');
    expect(wireFilters(pinned).bpf).toBe('tcp[tcpflags] & tcp-syn != 0 and dst host 192.0.2.10 and dst port 443 and src host 198.51.100.5 and src portrange 40000-40099');
    expect(wireFilters(fixed).bpf).toBe('tcp[tcpflags] & tcp-syn != 0 and dst host 192.0.2.10 and dst port 443 and src host 198.51.100.5 and src port 40000');
    expect(wireFilters(pinned).tcpdump).toBe(`tcpdump -n -i any -tt '${wireFilters(pinned).bpf}'`);
  });

  it('matches IPv6 SYNs on the fixed header, and both families of a name', () => {
    expect(wireFilters({ ...plain, addresses: ['2001:db8::1'] }).bpf).toBe('ip6[6] == 6 and ip6[53] & 0x02 != 0 and dst host 2001:db8::1 and dst port 443');
    expect(wireFilters({ ...plain, addresses: ['192.0.2.10', '192.0.2.11', '2001:db8::1'] }).bpf).toBe(
      '((tcp[tcpflags] & tcp-syn != 0 and (dst host 192.0.2.10 or dst host 192.0.2.11)) or (ip6[6] == 6 and ip6[53] & 0x02 != 0 and dst host 2001:db8::1)) and dst port 443',
    );
  });

  it('keeps only addresses of the source address family, and uses the host when nothing resolved', () => {
    expect(wireFilters({ ...pinned, addresses: ['2001:db8::1', '192.0.2.10'] }).bpf).not.toContain('2001:db8::1');
    expect(wireFilters({ ...plain, addresses: [], host: '[2001:db8::9]' }).bpf).toContain('dst host 2001:db8::9 ');
    expect(wireFilters({ ...plain, addresses: [] }).bpf).toContain('dst host spoke.example ');
  });

  const tcpdump = spawnSync('tcpdump', ['--version']).status === 0 || process.env.CI === 'true';
  it.skipIf(!tcpdump)('compiles in libpcap (tcpdump -d) for every shape', () => {
    for (const input of [plain, pinned, fixed, { ...plain, addresses: ['2001:db8::1', '192.0.2.10'] }]) {
      for (const expr of [wireFilters(input).bpf, /'(.*)'/.exec(wireFilters(input).fortigate)![1]!]) {
        const r = spawnSync('tcpdump', ['-d', '-y', 'EN10MB', expr], { encoding: 'utf8' });
        expect(r.status, `${expr}\n${r.stderr}`).toBe(0);
      }
    }
  });
});

describe('FortiGate', () => {
  it('is a sniffer on any interface, headers with interface names, until Ctrl-C, UTC times', () => {
    expect(wireFilters(pinned).fortigate).toBe("diagnose sniffer packet any 'tcp[13] & 2 != 0 and dst host 192.0.2.10 and dst port 443 and src host 198.51.100.5 and src portrange 40000-40099' 4 0 a");
    expect(wireFilters(plain).fortigate).toBe("diagnose sniffer packet any 'tcp[13] & 2 != 0 and dst host 192.0.2.10 and dst port 443' 4 0 a");
  });
});

describe('Palo Alto', () => {
  it('filters both directions, the source port only when it is fixed, then captures', () => {
    const pre = 'debug dataplane packet-diag';
    expect(wireFilters(fixed).paloalto.split('\n')).toEqual([
      `${pre} clear all`,
      `${pre} set filter match source 198.51.100.5 destination 192.0.2.10 source-port 40000 destination-port 443 protocol 6`,
      `${pre} set filter match source 192.0.2.10 destination 198.51.100.5 source-port 443 destination-port 40000 protocol 6`,
      `${pre} set filter on`,
      `${pre} set capture stage receive file netwatch-7-rx.pcap`,
      `${pre} set capture stage transmit file netwatch-7-tx.pcap`,
      `${pre} set capture stage drop file netwatch-7-drop.pcap`,
      `${pre} set capture on`,
    ]);
    const lines = wireFilters(plain).paloalto.split('\n');
    expect(lines[1]).toBe(`${pre} set filter match destination 192.0.2.10 destination-port 443 protocol 6`);
    expect(lines[2]).toBe(`${pre} set filter match source 192.0.2.10 source-port 443 protocol 6`);
    expect(wireFilters(pinned).paloalto).not.toContain('source-port 40000');
    // at most 4 filters: two destinations
    expect(wireFilters({ ...plain, addresses: ['192.0.2.1', '192.0.2.2', '192.0.2.3'] }).paloalto.match(/set filter match/g)).toHaveLength(4);
  });
});

describe('Cisco ASA', () => {
  it('matches tcp from the source (or any) with its port operator to the destination port', () => {
    expect(wireFilters(plain).ciscoAsa).toBe('capture NETWATCH7 interface inside match tcp any host 192.0.2.10 eq 443\nshow capture NETWATCH7');
    expect(wireFilters(pinned).ciscoAsa.split('\n')[0]).toBe('capture NETWATCH7 interface inside match tcp host 198.51.100.5 range 40000 40099 host 192.0.2.10 eq 443');
    expect(wireFilters(fixed).ciscoAsa.split('\n')[0]).toBe('capture NETWATCH7 interface inside match tcp host 198.51.100.5 eq 40000 host 192.0.2.10 eq 443');
    expect(wireFilters({ ...plain, addresses: ['192.0.2.10', '2001:db8::1'] }).ciscoAsa.split('\n')).toHaveLength(3);
  });
});

/** Runs tcpdump on lo with `expr` until `act` is done; @returns one line per captured packet (-n -tt). */
async function capture(expr: string, act: () => Promise<void>): Promise<string[] | null> {
  const p = spawn('tcpdump', ['-n', '-l', '-tt', '-i', 'lo', '--immediate-mode', expr], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d: Buffer) => (out += d));
  p.stderr.on('data', (d: Buffer) => (err += d));
  const started = await Promise.race([
    new Promise<boolean>((r) => p.stderr.on('data', () => err.includes('listening on') && r(true))),
    once(p, 'exit').then(() => false),
    once(p, 'error').then(([e]) => Promise.reject(new Error(`tcpdump did not start: ${(e as Error).message}`))),
  ]);
  if (!started) return null;
  await act();
  await new Promise((r) => setTimeout(r, 300));
  p.kill('SIGINT');
  await once(p, 'exit');
  return out.split('\n').filter(Boolean);
}

const connectOnce = async (opts: net.NetConnectOpts) => {
  const s = net.connect(opts);
  await once(s, 'connect');
  s.end();
  await once(s, 'close');
};

describe('the BPF expression on a real capture (loopback)', () => {
  // tcpdump (Debian's package, root) captures on lo; skipped where it cannot, required under CI=true (.ci/run installs it)
  const usable = spawnSync('tcpdump', ['-D'], { encoding: 'utf8' }).status === 0 || process.env.CI === 'true';
  it.skipIf(!usable)('captures exactly the SYNs from the source address and range, not the SYN-ACKs or other sources', async (t) => {
    const peer = await listener('127.0.0.1');
    try {
      const base = 20000 + Math.floor(Math.random() * 20000);
      const input: WireFilterInput = { targetId: 1, addresses: ['127.0.0.1'], host: '127.0.0.1', port: peer.port, sourceAddress: '127.0.0.2', sourcePortMin: base, sourcePortMax: base + 9 };
      const lines = await capture(wireFilters(input).bpf, async () => {
        await connectOnce({ host: '127.0.0.1', port: peer.port, localAddress: '127.0.0.2', localPort: base + 1 });
        await connectOnce({ host: '127.0.0.1', port: peer.port, localAddress: '127.0.0.2', localPort: base + 5 });
        await connectOnce({ host: '127.0.0.1', port: peer.port, localAddress: '127.0.0.3' }); // other source
        await connectOnce({ host: '127.0.0.1', port: peer.port, localAddress: '127.0.0.2', localPort: base + 10 }); // outside the range
      });
      if (lines === null) return t.skip('tcpdump could not capture on lo here');
      expect(lines, lines.join('\n')).toHaveLength(2);
      expect(lines[0]).toContain(`127.0.0.2.${base + 1} > 127.0.0.1.${peer.port}: Flags [S]`);
      expect(lines[1]).toContain(`127.0.0.2.${base + 5} > 127.0.0.1.${peer.port}: Flags [S]`);
    } finally {
      await peer.close();
    }
  });

  it.skipIf(!usable)('captures exactly the SYNs in the source port range over IPv6 (::1)', async (t) => {
    if (!(await hasIPv6())) return t.skip('no IPv6 loopback here');
    const peer = await listener('::1');
    try {
      const base = 20000 + Math.floor(Math.random() * 20000);
      const input: WireFilterInput = { targetId: 1, addresses: ['::1'], host: '::1', port: peer.port, sourcePortMin: base, sourcePortMax: base + 4 };
      const lines = await capture(wireFilters(input).bpf, async () => {
        await connectOnce({ host: '::1', port: peer.port, localAddress: '::1', localPort: base + 2 });
        await connectOnce({ host: '::1', port: peer.port, localAddress: '::1', localPort: base + 7 }); // outside the range
      });
      if (lines === null) return t.skip('tcpdump could not capture on lo here');
      expect(lines, lines.join('\n')).toHaveLength(1);
      expect(lines[0]).toContain(`::1.${base + 2} > ::1.${peer.port}: Flags [S]`);
    } finally {
      await peer.close();
    }
  });
});
