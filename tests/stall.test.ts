/**
 * Issue 16 §1: a stalled NetWatch does not record target failures.
 * - The real process probes 20 healthy loopback targets at 1 s; it is frozen with SIGSTOP for 5 s,
 *   then SIGCONT: no `timeout` is stored for any of them, the stall shows in health (a reason and
 *   `local.stalls`) and in the schedule-lag figures, and probing goes on.
 * - In-process: a handshake that the kernel completes while NetWatch's event loop is blocked past
 *   the probe's deadline is a success (with no connect time), not a timeout; a probe that is still
 *   unanswered after such a stall is `local_error` ESTALL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport, ProbeResult } from '../src/domain/types.js';
import { probe } from '../src/actors/probe.js';
import { StallWatch, STALL_MS } from '../src/actors/stall.js';
import { blackhole, listener } from './helpers/net.js';
import { gatedPeer } from './helpers/gated-peer.js';
import { startServer, type ServerProcess } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Blocks this process's event loop for `ms` (as a long synchronous task would). */
const block = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('a stalled process (SIGSTOP 5 s) records no timeouts for healthy targets', () => {
  let server: ServerProcess;
  let open: Awaited<ReturnType<typeof listener>>;
  const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-stall-'));
  beforeAll(async () => {
    open = await listener();
    server = await startServer({ NETWATCH_DATA_DIR: dataDir, ROOT_USER: 'root', ROOT_PASSWORD: 'stall secret 1' });
  });
  afterAll(async () => {
    server?.child.kill('SIGCONT');
    await server?.stop();
    await open?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores successes (or ESTALL) for all 20, never timeout, and health shows the stall', async () => {
    const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: 'stall secret 1' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { cookie, 'content-type': 'application/json' } });
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await api('/api/targets', {
        method: 'POST',
        body: JSON.stringify({ name: `healthy ${i}`, host: '127.0.0.1', port: open.port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: number }).id);
    }
    const results = async (id: number) => ((await (await api(`/api/targets/${id}/results?limit=1000`)).json()) as { results: ProbeResult[] }).results;
    // every target is probing
    await waitFor(async () => (await Promise.all(ids.map(results))).every((r) => r.length >= 2), 10_000, 'every target probing');

    const stoppedAt = Date.now();
    server.child.kill('SIGSTOP');
    await sleep(5000);
    server.child.kill('SIGCONT');

    // health right after: degraded, naming the stall; lag figures show it
    const health = await waitFor(async () => (await (await fetch(`${server.url}/api/health`)).json()) as HealthReport, 5000, 'health');
    expect(health.status).toBe('degraded');
    expect(health.reasons.join(' ')).toMatch(/NetWatch itself was stalled (once|\d+ times) in the last minute, for up to [4-7]\.\d s/);
    expect(health.local!.stalls.lastMinute).toBeGreaterThanOrEqual(1);
    expect(health.local!.stalls.longestMs).toBeGreaterThanOrEqual(4000);
    expect(health.local!.stalls.longestMs).toBeLessThan(8000);
    expect(health.scheduleLagMs!.max).toBeGreaterThanOrEqual(4000);
    const logged = server.logs.find((l) => typeof l.stallMs === 'number');
    expect(logged).toMatchObject({ level: 40, msg: expect.stringMatching(/^NetWatch was stalled/) });
    expect(logged!.stallMs).toBeGreaterThanOrEqual(4000);

    // probing goes on: 3 more slots after the resume, then read every result since the stall began
    await sleep(3000);
    const after = await Promise.all(ids.map(results));
    const outcomes = new Map<string, number>();
    for (const rs of after) {
      const since = rs.filter((r) => r.startedAt >= stoppedAt - 2000);
      expect(since.filter((r) => r.startedAt > stoppedAt + 5000).length).toBeGreaterThanOrEqual(2);
      for (const r of since) outcomes.set(`${r.outcome}/${r.errorCode}`, (outcomes.get(`${r.outcome}/${r.errorCode}`) ?? 0) + 1);
    }
    const kinds = [...outcomes.keys()];
    expect(
      kinds.filter((k) => k !== 'success/null' && k !== 'local_error/ESTALL'),
      JSON.stringify(Object.fromEntries(outcomes)),
    ).toEqual([]);
    expect(outcomes.get('success/null')).toBeGreaterThan(20 * 3);
  }, 40_000);
});

describe('probe verdicts across a blocked event loop (in process)', () => {
  let stalls: StallWatch;
  beforeAll(() => {
    stalls = new StallWatch().start();
  });
  afterAll(() => stalls.stop());

  it('a handshake completed by the kernel during the stall is a success with no connect time, not a timeout', async () => {
    // The peer drops the first SYN (full accept queue) and opens 300 ms later: the kernel's SYN
    // retransmission (~1 s, RFC 6298 initial RTO) completes the handshake while this loop is blocked.
    const peer = await gatedPeer(300);
    try {
      const p = probe({ targetId: 1, host: '127.0.0.1', port: peer.port, timeoutMs: 1500, stalls });
      setTimeout(() => block(3000), 100);
      const r = await p;
      expect(r.outcome).toBe('success');
      expect(r.connectMs).toBeNull();
    } finally {
      await peer.close();
    }
  }, 10_000);

  it('a probe still unanswered after the stall is local_error ESTALL', async () => {
    const hole = await blackhole();
    try {
      const p = probe({ targetId: 2, host: '127.0.0.1', port: hole.port, timeoutMs: 300, stalls });
      setTimeout(() => block(STALL_MS + 500), 50);
      const r = await p;
      expect(r).toMatchObject({ outcome: 'local_error', errorCode: 'ESTALL', connectMs: null });
    } finally {
      await hole.close();
    }
  }, 10_000);

  it('a stall while the name resolves is neither a DNS timeout nor a connect timeout', async () => {
    const peer = await listener();
    try {
      for (let i = 0; i < 3; i++) {
        const p = probe({ targetId: 4, host: 'localhost', port: peer.port, timeoutMs: 200, stalls });
        // blocks in the check phase: the next loop turn runs the expired deadline before polling
        setImmediate(() => block(STALL_MS + 500));
        const r = await p;
        expect([`${r.outcome}/${r.errorCode}`]).toContainEqual(expect.stringMatching(/^(success\/null|local_error\/ESTALL)$/));
      }
    } finally {
      await peer.close();
    }
  }, 20_000);

  it('without a stall, no answer is still a timeout', async () => {
    const hole = await blackhole();
    try {
      const r = await probe({ targetId: 3, host: '127.0.0.1', port: hole.port, timeoutMs: 300, stalls });
      expect(r).toMatchObject({ outcome: 'timeout', errorCode: 'ETIMEDOUT' });
    } finally {
      await hole.close();
    }
  });
});
