/**
 * Local ports run out (issue 15 §4, issue 7 §4): in a network namespace this test creates, with a
 * local port range of a few ports, probes of listening loopback targets soon find every port in
 * TIME_WAIT and connect(2) fails with EADDRNOTAVAIL. Those attempts must be `local_error`
 * EADDRNOTAVAIL (never error or timeout), must not pull the targets' success ratio down, and
 * health must be degraded naming the cause. `tcp_tw_reuse` is 0 in the namespace, as it is for
 * non-loopback traffic by default, so a loopback port is not reused within the test.
 * Needs root and iproute2 (`ip netns`); skipped with the reason otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../src/domain/types.js';

const ns = `nwports-${process.pid}`;
const root = join(import.meta.dirname, '..');
let why: string | null = null;

beforeAll(() => {
  try {
    execFileSync('ip', ['netns', 'add', ns], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_local_port_range=40000 40005', 'net.ipv4.tcp_tw_reuse=0'], { stdio: 'pipe' });
  } catch (err) {
    why = `cannot create a network namespace with its own port range here (${String((err as Error).message).split('\n')[0]})`;
  }
});
afterAll(() => {
  if (!why) spawnSync('ip', ['netns', 'del', ns]);
});

describe('local ports exhausted (namespace with a 6-port range)', () => {
  it('records local_error EADDRNOTAVAIL, keeps the ratio of targets that are up at 1, and degrades health', (ctx) => {
    if (why) return ctx.skip(why);
    const out = execFileSync('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', join(root, 'tests/helpers/port-range-run.ts'), '10', '3500'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    });
    const run = JSON.parse(out.trim().split('\n').pop()!) as {
      targets: { id: number; ratio24h: number | null }[];
      results: ProbeResult[];
      history: { buckets: { attempts: number; successes: number; ratio: number | null; outcomes: Record<string, number> }[] };
      health: { status: number; body: { status: string; local: { status: string; reasons: string[]; errorsLastMinute: Record<string, number> } } };
    };
    const by = (o: string) => run.results.filter((r) => r.outcome === o);
    // 10 targets × ~3 slots: a few get one of the ports, the rest find none free
    expect(run.results.length).toBeGreaterThanOrEqual(20);
    expect(by('success').length).toBeGreaterThan(0);
    expect(by('local_error').length).toBeGreaterThan(run.results.length / 2);
    expect(new Set(by('local_error').map((r) => r.errorCode))).toEqual(new Set(['EADDRNOTAVAIL']));
    expect(by('local_error').every((r) => r.connectMs === null && r.address === '127.0.0.1')).toBe(true);
    // never a failure of the target
    expect(run.results.filter((r) => r.outcome !== 'success' && r.outcome !== 'local_error')).toEqual([]);
    // the ratio is over measured attempts only: 1 for every target that was measured, null (a gap) otherwise
    for (const t of run.targets) expect([1, null]).toContain(t.ratio24h);
    expect(run.targets.some((t) => t.ratio24h === 1)).toBe(true);
    for (const b of run.history.buckets) if (b.attempts > 0) expect([1, null]).toContain(b.ratio);
    expect(run.history.buckets.reduce((n, b) => n + (b.outcomes.local_error ?? 0), 0)).toBeGreaterThan(0);
    // health names the cause
    expect(run.health.status).toBe(503);
    expect(run.health.body.status).toBe('degraded');
    expect(run.health.body.local.status).toBe('degraded');
    expect(run.health.body.local.errorsLastMinute.EADDRNOTAVAIL).toBeGreaterThanOrEqual(by('local_error').length); // probes go on meanwhile
    expect(run.health.body.local.reasons.join('\n')).toMatch(/EADDRNOTAVAIL.*ip_local_port_range/);
  });
});
