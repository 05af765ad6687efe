/**
 * Hub-to-spoke on a real wire (issue 8): NetWatch's actors run in a hub namespace, listeners and
 * tcpdump in a spoke namespace (tests/helpers/wire-net.ts). Every wire claim is asserted from the
 * capture, not from NetWatch's own records: source address and port, RST vs FIN, send times,
 * fallback across a name's addresses, and a source address removed mid-run. The whole server in
 * the hub: tests/wire-server.test.ts.
 * Needs root, iproute2 (`ip netns`) and tcpdump; skipped with the reason otherwise.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../src/domain/types.js';
import { createWire, type Packet, type Wire } from './helpers/wire-net.js';
import { TIMER_SLACK_MS } from './helpers/timing.js';

const root = join(import.meta.dirname, '..');
let wire: Wire | null = null;
let why: string | null = null;

beforeAll(async () => {
  const w = createWire();
  if ('why' in w) {
    why = w.why;
    return;
  }
  wire = w;
  await wire.listen([7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008]);
  await wire.blackhole(7008);
});
afterAll(() => wire?.remove());

const base = { intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' };
const RUN_MS = 12_500;

interface Run {
  saved: { status: number; json: { id?: number; name?: string; fields?: Record<string, string>; [k: string]: unknown } }[];
  results: Record<string, ProbeResult[]>;
}

/** Quantiles of absolute values, ms. */
function spread(xs: number[]) {
  const s = xs.map(Math.abs).sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10;
  return { n: s.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: q(1) };
}

describe('probes on a namespaced wire', () => {
  let run: Run;
  let packets: Packet[];

  beforeAll(async () => {
    if (!wire) return;
    await wire.startCapture();
    const plan = {
      runMs: RUN_MS,
      deleteAddress: { afterMs: 5_000, cidr: '10.77.0.3/24', dev: wire.hubDev },
      targets: [
        { ...base, name: 'range-fin', host: '10.77.0.100', port: 7001, sourceAddress: '10.77.0.2', sourcePortMin: 41000, sourcePortMax: 41099, closeMode: 'fin' },
        { ...base, name: 'fixed-rst', host: '10.77.0.100', port: 7002, sourceAddress: '10.77.0.2', sourcePortMin: 42000, sourcePortMax: 42000, closeMode: 'rst' },
        { ...base, name: 'fixed-fin', host: '10.77.0.100', port: 7002, sourceAddress: '10.77.0.2', sourcePortMin: 42001, sourcePortMax: 42001, closeMode: 'fin' },
        { ...base, name: 'fallback', host: 'spoke.test', port: 7003, addressPolicy: 'fallback' },
        { ...base, name: 'gone', host: '10.77.0.100', port: 7004, sourceAddress: '10.77.0.3' },
        { ...base, name: 'first', host: 'spoke.test', port: 7005, addressPolicy: 'first' },
        { ...base, name: 'family-v4', host: 'dual.test', port: 7006, addressFamily: 'ipv4' },
        { ...base, name: 'source-family', host: 'dual.test', port: 7007, sourceAddress: '10.77.0.1' },
        { ...base, name: 'slow-first', host: 'slow.test', port: 7008, timeoutMs: 800 },
        { ...base, name: 'no-v6', host: 'spoke.test', port: 7009, addressFamily: 'ipv6' },
        { ...base, name: 'not-mine', host: '10.77.0.100', port: 7001, sourceAddress: '10.77.0.9' },
        { ...base, name: 'other-family', host: '10.77.0.100', port: 7001, sourceAddress: '::1' },
      ],
    };
    const { stdout } = await promisify(execFile)('ip', ['netns', 'exec', wire.hub, process.execPath, '--import', 'tsx', join(root, 'tests/helpers/wire-run.ts'), JSON.stringify(plan)], {
      cwd: root,
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    run = JSON.parse(stdout.trim().split('\n').pop()!) as Run;
    packets = await wire.stopCapture();
  }, 90_000);

  const fromHub = (src: string, dport: number) => packets.filter((p) => p.src === src && p.dport === dport);
  const syns = (ps: Packet[]) => ps.filter((p) => p.flags === 'S');

  it('saves what is valid and refuses the rest with per-field messages', (ctx) => {
    if (why) return ctx.skip(why);
    const by = Object.fromEntries(
      run.saved.map((s, i) => [['range-fin', 'fixed-rst', 'fixed-fin', 'fallback', 'gone', 'first', 'family-v4', 'source-family', 'slow-first', 'no-v6', 'not-mine', 'other-family'][i]!, s]),
    );
    for (const n of ['range-fin', 'fixed-rst', 'fallback', 'gone', 'first', 'family-v4', 'source-family', 'slow-first', 'no-v6']) expect(by[n]!.status, n).toBe(201);
    expect(by['fixed-fin']!.status).toBe(400);
    expect(by['fixed-fin']!.json.fields!.sourcePortMax).toMatch(/at least 64 ports \(it has 1\).*rst/);
    expect(by['not-mine']!.status).toBe(400);
    expect(by['not-mine']!.json.fields!.sourceAddress).toMatch(/10\.77\.0\.9 is not an address of this host.*10\.77\.0\.1, 10\.77\.0\.2, 10\.77\.0\.3/);
    expect(by['other-family']!.status).toBe(400);
    expect(by['other-family']!.json.fields!.sourceAddress).toMatch(/IPv6 but the host is an IPv4 address/);
  });

  it('SYNs leave from the source address, from ports inside the range, advancing one per attempt; FIN from the hub first', (ctx) => {
    if (why) return ctx.skip(why);
    const results = run.results['range-fin']!;
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.every((r) => r.outcome === 'success' && r.localAddress === '10.77.0.2' && r.closeMode === 'fin')).toBe(true);
    const s = syns(packets.filter((p) => p.dport === 7001));
    expect(s.length).toBe(results.length);
    expect(new Set(s.map((p) => p.src))).toEqual(new Set(['10.77.0.2']));
    const ports = s.map((p) => p.sport);
    expect(ports.every((p) => p >= 41000 && p <= 41099)).toBe(true);
    expect(ports).toEqual(ports.map((_, i) => ports[0]! + i)); // one port per attempt, in order
    expect(results.map((r) => r.localPort)).toEqual(ports);
    for (const port of ports) {
      const conn = packets.filter((p) => (p.sport === port && p.dport === 7001) || (p.dport === port && p.sport === 7001));
      const firstFin = conn.find((p) => p.flags.includes('F'));
      expect(firstFin, `FIN on port ${port}`).toBeDefined();
      expect(firstFin!.src).toBe('10.77.0.2');
      expect(conn.some((p) => p.flags.includes('R'))).toBe(false);
    }
  });

  it('a fixed source port with rst works every second: RST from the hub, never a FIN from it', (ctx) => {
    if (why) return ctx.skip(why);
    const results = run.results['fixed-rst']!;
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.slice(0, 10).map((r) => r.outcome)).toEqual(new Array(10).fill('success'));
    expect(results.every((r) => r.localPort === 42000 && r.closeMode === 'rst')).toBe(true);
    const hub = fromHub('10.77.0.2', 7002);
    expect(syns(hub).length).toBe(results.length);
    expect(syns(hub).every((p) => p.sport === 42000)).toBe(true);
    expect(hub.filter((p) => p.flags.startsWith('R')).length).toBeGreaterThanOrEqual(results.length);
    expect(hub.some((p) => p.flags.includes('F'))).toBe(false);
  });

  it('each SYN is captured within 20 ms of startedAt, and on its slot (scheduledAt, within timer lateness)', (ctx) => {
    if (why) return ctx.skip(why);
    const vsStart: number[] = [];
    const vsSlot: number[] = [];
    for (const [name, port] of [
      ['range-fin', 7001],
      ['fixed-rst', 7002],
      ['gone', 7004],
    ] as const) {
      for (const r of run.results[name]!.filter((x) => x.outcome === 'success')) {
        const syn = syns(packets)
          .filter((p) => p.dport === port && p.sport === r.localPort)
          .sort((a, b) => Math.abs(a.t - r.startedAt) - Math.abs(b.t - r.startedAt))[0];
        expect(syn, `${name} SYN from ${r.localPort}`).toBeDefined();
        vsStart.push(syn!.t - r.startedAt);
        vsSlot.push(syn!.t - r.scheduledAt!);
      }
    }
    const report = { synMinusStartedAt: spread(vsStart), synMinusScheduledAt: spread(vsSlot) };
    console.log(`SYN capture time vs NetWatch's times, |Δ| ms: ${JSON.stringify(report)}`);
    expect(vsStart.length).toBeGreaterThanOrEqual(20);
    expect(report.synMinusStartedAt.max).toBeLessThanOrEqual(20);
    expect(report.synMinusScheduledAt.max).toBeLessThanOrEqual(TIMER_SLACK_MS);
  });

  it('a name with two addresses where only the second listens: fallback succeeds on the second with both recorded; first is refused', (ctx) => {
    if (why) return ctx.skip(why);
    const fb = run.results.fallback!;
    expect(fb.length).toBeGreaterThanOrEqual(5);
    for (const r of fb) {
      expect(r).toMatchObject({ outcome: 'success', address: '10.77.0.100' });
      expect(r.addresses!.map((a) => [a.address, a.outcome])).toEqual([
        ['10.77.0.101', 'refused'],
        ['10.77.0.100', 'success'],
      ]);
    }
    // on the wire: per attempt a SYN to .101 (answered by RST), then one to .100
    const toFb = syns(packets.filter((p) => p.dport === 7003));
    expect(toFb.filter((p) => p.dst === '10.77.0.101').length).toBe(fb.length);
    expect(toFb.filter((p) => p.dst === '10.77.0.100').length).toBe(fb.length);
    const first = run.results.first!;
    expect(first.length).toBeGreaterThanOrEqual(5);
    expect(first.every((r) => r.outcome === 'refused' && r.address === '10.77.0.101' && r.addresses === null)).toBe(true);
    expect(syns(packets.filter((p) => p.dport === 7005)).every((p) => p.dst === '10.77.0.101')).toBe(true);
  });

  it('a name with an IPv6 and an IPv4 address: addressFamily ipv4, or an IPv4 source address, dials only the IPv4 one', (ctx) => {
    if (why) return ctx.skip(why);
    for (const [name, port, source] of [
      ['family-v4', 7006, null],
      ['source-family', 7007, '10.77.0.1'],
    ] as const) {
      const rs = run.results[name]!;
      expect(rs.length, name).toBeGreaterThanOrEqual(5);
      expect(
        rs.every((r) => r.outcome === 'success' && r.address === '10.77.0.100' && r.addresses === null && (source === null || r.localAddress === source)),
        name,
      ).toBe(true);
      const s = syns(packets.filter((p) => p.dport === port));
      expect(s.length, name).toBe(rs.length);
      expect(
        s.every((p) => p.dst === '10.77.0.100'),
        name,
      ).toBe(true);
    }
    expect(packets.some((p) => p.dst.includes(':'))).toBe(false); // no IPv6 packet at all
  });

  it('fallback after a timeout: the first address gets its share of the timeout (half of what is left of 800 ms), the second the rest', (ctx) => {
    if (why) return ctx.skip(why);
    const rs = run.results['slow-first']!;
    expect(rs.length).toBeGreaterThanOrEqual(5);
    for (const r of rs) {
      expect(r).toMatchObject({ outcome: 'success', address: '10.77.0.100' });
      const [a, b] = r.addresses!;
      expect([a!.address, a!.outcome, a!.errorCode, b!.address, b!.outcome]).toEqual(['10.77.0.102', 'timeout', 'ETIMEDOUT', '10.77.0.100', 'success']);
      // half of what was left after resolution (ms clocks: ±2)
      expect(b!.startedAt - a!.startedAt).toBeGreaterThanOrEqual(Math.floor((800 - r.dnsMs!) / 2) - 2);
      expect(b!.startedAt - a!.startedAt).toBeLessThan(460);
      expect(r.startedAt).toBe(a!.startedAt);
    }
    // on the wire: a SYN to .102 (unanswered; the kernel may retransmit it), then, about 400 ms later, one to .100
    const s = syns(packets.filter((p) => p.dport === 7008 && p.src.startsWith('10.77.0.') && p.sport !== 7008));
    for (const r of rs) {
      expect(s.some((p) => p.dst === '10.77.0.102' && Math.abs(p.t - r.addresses![0]!.startedAt) <= 20)).toBe(true);
      expect(s.some((p) => p.dst === '10.77.0.100' && Math.abs(p.t - r.addresses![1]!.startedAt) <= 20)).toBe(true);
    }
  });

  it('a name with no address of the allowed family is dns_error, nothing sent', (ctx) => {
    if (why) return ctx.skip(why);
    const rs = run.results['no-v6']!;
    expect(rs.length).toBeGreaterThanOrEqual(5);
    expect(rs.every((r) => r.outcome === 'dns_error' && r.address === null && r.errorCode !== null)).toBe(true);
    expect(packets.some((p) => p.dport === 7009)).toBe(false);
  });

  it('a source address removed mid-run: local_error EADDRNOTAVAIL, never timeout or refused, nothing more sent from it', (ctx) => {
    if (why) return ctx.skip(why);
    const rs = run.results.gone!;
    const ok = rs.filter((r) => r.outcome === 'success');
    const gone = rs.filter((r) => r.outcome === 'local_error');
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(gone.length).toBeGreaterThanOrEqual(4);
    expect(ok.length + gone.length).toBe(rs.length);
    expect(new Set(gone.map((r) => r.errorCode))).toEqual(new Set(['EADDRNOTAVAIL']));
    expect(Math.max(...ok.map((r) => r.startedAt))).toBeLessThan(Math.min(...gone.map((r) => r.startedAt)));
    const sent = syns(fromHub('10.77.0.3', 7004));
    expect(sent.length).toBe(ok.length);
    expect(Math.max(...sent.map((p) => p.t))).toBeLessThan(Math.min(...gone.map((r) => r.startedAt)));
  });

  it('ports still in TIME_WAIT are skipped; when every port of the range is busy the attempt is local_error EADDRINUSE', async (ctx) => {
    if (why) return ctx.skip(why);
    // Linux lets a connect(2) from an explicitly bound port take over a TIME_WAIT 4-tuple when TCP
    // timestamps were used (tcp_twsk_unique, PAWS protects it); without them the tuple stays busy
    // for 60 s and connect(2) fails with EADDRNOTAVAIL. Timestamps off here (after the main run).
    wire!.inHub(['sysctl', '-q', '-w', 'net.ipv4.tcp_timestamps=0']);
    const script = `import { probe, DEFAULT_WIRE } from ${JSON.stringify(join(root, 'src/actors/probe.ts'))};
      import { SourcePorts } from ${JSON.stringify(join(root, 'src/actors/source-ports.ts'))};
      const wire = { ...DEFAULT_WIRE, sourceAddress: '10.77.0.1', ports: new SourcePorts(43000, 43001), closeMode: 'fin' };
      const out = [];
      for (let i = 0; i < 3; i++) {
        out.push(await probe({ targetId: 9, host: '10.77.0.100', port: 7001, timeoutMs: 1000, wire }));
        await new Promise((r) => setTimeout(r, 200)); // the peer's FIN arrives: the hub's side is in TIME_WAIT
      }
      console.log(JSON.stringify(out));`;
    const { stdout } = await promisify(execFile)('ip', ['netns', 'exec', wire!.hub, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as ProbeResult[];
    expect(out.map((r) => [r.outcome, r.localPort, r.errorCode])).toEqual([
      ['success', 43000, null],
      ['success', 43001, null],
      ['local_error', null, 'EADDRINUSE'],
    ]);
    expect(wire!.inHub(['ss', '-tanH', 'state', 'time-wait', 'sport', '>=', ':43000', 'sport', '<=', ':43001'])).toMatch(/10\.77\.0\.1:4300[01]/);
  });
});
