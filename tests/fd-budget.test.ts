/**
 * The probe descriptor budget and local faults, in-process with real loopback sockets: the
 * limit read from the kernel, the budget arithmetic, probes that wait for a descriptor (first
 * come, first served) or get none within their time budget (local_error EFDBUDGET, nothing sent),
 * and the health summary that names each local cause.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescriptorBudget } from '../src/actors/fd-budget.js';
import { budgetFor, descriptorsNeeded } from '../src/actors/fd-limit.js';
import { LocalFaults } from '../src/actors/local-faults.js';
import { probe, type ProbeHandle } from '../src/actors/probe.js';
import type { ProbeResult } from '../src/domain/types.js';
import pino from 'pino';
import { phaseMs } from '../src/actors/schedule.js';
import { startActors } from '../src/actors/system.js';
import { listResults } from '../src/store/results.js';
import { createTarget } from '../src/store/targets.js';
import { testApp } from './helpers/app.js';
import { blackhole, listener } from './helpers/net.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const root = join(import.meta.dirname, '..');

describe('descriptor limit and budget arithmetic', () => {
  it('reads RLIMIT_NOFILE of the running process (prlimit sets it; Node raises soft to hard)', () => {
    const script = `import { readNofileLimit } from ${JSON.stringify(join(root, 'src/actors/fd-limit.ts'))};
      console.log(JSON.stringify(readNofileLimit()));`;
    const out = execFileSync('prlimit', ['--nofile=300:400', '--', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ soft: 400, hard: 400, source: '/proc/self/limits' });
  });

  it('keeps 128 in reserve, half of a limit under 256, and is unlimited with the limit', () => {
    expect(budgetFor(256)).toEqual({ reserve: 128, size: 128 });
    expect(budgetFor(1_048_576)).toEqual({ reserve: 128, size: 1_048_448 });
    expect(budgetFor(100)).toEqual({ reserve: 50, size: 50 });
    expect(budgetFor(1)).toEqual({ reserve: 0, size: 1 });
    expect(budgetFor(Infinity).size).toBe(Infinity);
  });

  it('needs one descriptor per target whose timeout spans its interval, a share otherwise', () => {
    const t = (intervalSeconds: number, effectiveTimeoutMs: number) => ({ intervalSeconds, effectiveTimeoutMs });
    expect(descriptorsNeeded([t(1, 1000), t(1, 1000), t(60, 60_000)])).toBe(3);
    expect(descriptorsNeeded([t(10, 1000), t(10, 1000), t(10, 500)])).toBe(1);
    expect(descriptorsNeeded([])).toBe(0);
  });
});

describe('probes within a descriptor budget', () => {
  let hole: Awaited<ReturnType<typeof blackhole>>;
  let open: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    hole = await blackhole();
    open = await listener();
  });
  afterAll(async () => {
    await hole.close();
    await open.close();
  });

  it('a probe that gets no descriptor within its time budget is local_error EFDBUDGET, at once, with nothing sent', async () => {
    const budget = new DescriptorBudget(4, 2);
    const silent = [1, 2].map((id) => probe({ targetId: id, host: '127.0.0.1', port: hole.port, timeoutMs: 1500, budget }));
    await new Promise((r) => setTimeout(r, 20));
    expect(budget.stats(Date.now())).toMatchObject({ inUse: 2, size: 2, waiting: 0 });
    const accepted = open.accepted();
    const t0 = performance.now();
    const r = await probe({ targetId: 3, host: '127.0.0.1', port: open.port, timeoutMs: 300, budget });
    const took = performance.now() - t0;
    expect(r).toMatchObject({ targetId: 3, outcome: 'local_error', errorCode: 'EFDBUDGET', connectMs: null, localPort: null, address: '127.0.0.1' });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(700);
    expect(open.accepted()).toBe(accepted);
    expect(budget.stats(Date.now())).toMatchObject({ waitedLastMinute: 1, refusedLastMinute: 1 });
    expect((await Promise.all(silent)).map((x) => x.outcome)).toEqual(['timeout', 'timeout']);
    await waitFor(() => budget.stats(Date.now()).inUse === 0, 1000, 'descriptors given back');
  });

  it('a waiting probe takes the first descriptor given back, in arrival order, and succeeds', async () => {
    const budget = new DescriptorBudget(2, 1);
    const first = probe({ targetId: 1, host: '127.0.0.1', port: hole.port, timeoutMs: 200, budget });
    await new Promise((r) => setTimeout(r, 10));
    const second = probe({ targetId: 2, host: '127.0.0.1', port: open.port, timeoutMs: 1000, budget });
    const third = probe({ targetId: 3, host: '127.0.0.1', port: open.port, timeoutMs: 1000, budget });
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(a.outcome).toBe('timeout');
    expect(b.outcome).toBe('success');
    expect(c.outcome).toBe('success');
    expect(b.startedAt).toBeGreaterThanOrEqual(a.startedAt + 190);
    expect(c.startedAt).toBeGreaterThanOrEqual(b.startedAt);
    expect(budget.stats(Date.now()).peakInUse).toBe(1);
    await waitFor(() => budget.stats(Date.now()).inUse === 0, 3000, 'descriptors given back after the peer closed');
  });

  it('a probe cancelled while it waits (its next slot came) ends at once as local_error EFDBUDGET', async () => {
    const budget = new DescriptorBudget(2, 1);
    const holder = probe({ targetId: 1, host: '127.0.0.1', port: hole.port, timeoutMs: 1000, budget });
    const handle: ProbeHandle = { cancel: null };
    const waiting = probe({ targetId: 2, host: '127.0.0.1', port: open.port, timeoutMs: 1000, budget, handle });
    await new Promise((r) => setTimeout(r, 50));
    expect(handle.cancel).not.toBeNull();
    const t0 = performance.now();
    handle.cancel!();
    const r = await waiting;
    expect(performance.now() - t0).toBeLessThan(50);
    expect(r).toMatchObject({ outcome: 'local_error', errorCode: 'EFDBUDGET' });
    expect(handle.cancel).toBeNull();
    expect((await holder).outcome).toBe('timeout');
    // the cancelled waiter does not hold up the next probe
    expect((await probe({ targetId: 3, host: '127.0.0.1', port: open.port, timeoutMs: 500, budget })).outcome).toBe('success');
  });
});

describe('actors with a small descriptor limit', () => {
  it('share the budget: the listening target succeeds every slot, the API says degraded and why, the limit is logged', async () => {
    const { db, cleanup } = await STORES[0]!.open();
    const hole = await blackhole();
    const open = await listener();
    const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const base = { intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' as const, enabled: true };
    for (let i = 0; i < 6; i++) await createTarget(db, { ...base, name: `silent ${i}`, host: '127.0.0.1', port: hole.port }, Date.now());
    const up = await createTarget(db, { ...base, name: 'up', host: '127.0.0.1', port: open.port }, Date.now());
    // limit 6: 3 reserved, 3 probe descriptors for 6 silent targets that would hold 6
    const actors = startActors(db, log, {
      descriptorLimit: 6,
      writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 },
      reconcileEveryMs: 60_000,
      purgeEveryMs: 3_600_000,
    });
    try {
      await actors.reconcile();
      expect(lines.find((l) => l.msg === 'descriptor limit and probe budget')).toMatchObject({ descriptorLimit: 6, reserve: 3, probeDescriptors: 3, source: 'option' });
      expect(lines.find((l) => l.level === 40)?.msg).toMatch(/^descriptor limit 6 is below the 10 the enabled targets need at worst/);
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 3500));
      const { client } = await testApp(db, { actors });
      const health = await client().req('GET', '/api/health');
      expect(health.status).toBe(503);
      expect(health.json.local.reasons[0]).toMatch(/^probe descriptor budget exhausted: 3 sockets \(descriptor limit 6 minus 3 reserved\)/);
      // each slot of the listening target in [t0, t0 + 2 s) has a success (started within its slot: it may wait)
      const phase = phaseMs(up.id, 1000);
      const mine = await listResults(db, up.id, { from: t0 - 1000, to: t0 + 4000, limit: 100 });
      const ok = new Set(mine.filter((r) => r.outcome === 'success').map((r) => Math.floor((r.startedAt - phase) / 1000)));
      const slots: number[] = [];
      for (let k = Math.ceil((t0 - phase) / 1000); phase + k * 1000 < t0 + 2000; k++) slots.push(k);
      expect(slots.length).toBeGreaterThanOrEqual(2);
      expect(slots.filter((k) => !ok.has(k))).toEqual([]);
    } finally {
      await actors.shutdown(1500);
      await hole.close();
      await open.close();
      await cleanup();
    }
  });
});

describe('the kernel refuses a descriptor', () => {
  it('EMFILE under a low prlimit --nofile is local_error EMFILE, not error or timeout', async () => {
    const peer = await listener();
    try {
      // the child fills its descriptor table, then probes a listening loopback port
      // (every module is loaded before the table is filled)
      const script = `import { openSync } from 'node:fs';
        const { probe } = await import(${JSON.stringify(join(root, 'src/actors/probe.ts'))});
        try { for (;;) openSync('/dev/null', 'r'); } catch (err) { if (err.code !== 'EMFILE') throw err; }
        console.log(JSON.stringify(await probe({ targetId: 5, host: '127.0.0.1', port: ${peer.port}, timeoutMs: 1000 })));
        process.exit(0);`;
      const out = execFileSync('prlimit', ['--nofile=256', '--', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').pop()!) as ProbeResult;
      expect(r).toMatchObject({ targetId: 5, outcome: 'local_error', errorCode: 'EMFILE', connectMs: null, address: '127.0.0.1' });
      expect(peer.accepted()).toBe(0);
    } finally {
      await peer.close();
    }
  });
});

describe('local faults in health', () => {
  const local = (errorCode: string): ProbeResult => ({ targetId: 1, startedAt: 0, outcome: 'local_error', connectMs: null, dnsMs: null, address: '127.0.0.1', localPort: null, errorCode });

  it('is degraded naming each cause for a minute after the last local error, then ok again', () => {
    const faults = new LocalFaults(new DescriptorBudget(1024));
    const t = Date.UTC(2026, 0, 1);
    expect(faults.health(t)).toMatchObject({ status: 'ok', reasons: [] });
    faults.record({ ...local('EMFILE'), outcome: 'success', errorCode: null }, t);
    expect(faults.health(t).status).toBe('ok');
    faults.record(local('EMFILE'), t);
    faults.record(local('EMFILE'), t + 500);
    faults.record(local('ENOBUFS'), t + 1000);
    const h = faults.health(t + 2000);
    expect(h.status).toBe('degraded');
    expect(h.errorsLastMinute).toEqual({ EMFILE: 2, ENOBUFS: 1 });
    expect(h.reasons).toEqual([
      '2 probes failed locally with EMFILE in the last minute: the process ran out of file descriptors (raise ulimit -n / LimitNOFILE)',
      '1 probes failed locally with ENOBUFS in the last minute: the kernel ran out of socket buffers',
    ]);
    expect(faults.health(t + 62_000)).toMatchObject({ status: 'ok', reasons: [], errorsLastMinute: {}, errorsTotal: { EMFILE: 2, ENOBUFS: 1 } });
  });
});
