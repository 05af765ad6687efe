/**
 * The per-target rules of the metrics (src/metrics/target-series.ts) on a real prom-client
 * registry, fed results as the actors hand them over: `local_error` measures nothing about the
 * target (up and the failure run stay as they were, but it is counted); a success ends a failure
 * run; the connect time is the last handshake's; disabled or deleted targets lose their series.
 */
import parse from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { Outcome, ProbeResult, Target } from '../src/domain/types.js';
import { Metrics } from '../src/metrics/metrics.js';
import { LatestResults } from '../src/actors/latest-results.js';

const target = (id: number, name = `t${id}`): Target => ({
  id,
  name,
  host: '127.0.0.1',
  port: 1000 + id,
  intervalSeconds: 1,
  timeoutMs: null,
  effectiveTimeoutMs: 1000,
  retentionValue: 1,
  retentionUnit: 'day',
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
  sourceAddress: null,
  sourcePortMin: null,
  sourcePortMax: null,
  closeMode: 'fin',
  addressFamily: 'any',
  addressPolicy: 'fallback',
  failureThreshold: 3,
  recoveryThreshold: 1,
  locations: [],
});
const result = (targetId: number, outcome: Outcome, connectMs: number | null = null): ProbeResult => ({
  targetId,
  startedAt: Date.now(),
  outcome,
  connectMs,
  dnsMs: null,
  address: '127.0.0.1',
  localPort: null,
  errorCode: outcome === 'success' ? null : 'X',
});

/**
 * Metrics wired as system.ts wires them: bound to a latest-result map (the owner of `up` and the
 * failure run), and every result recorded there before the metrics see it.
 */
function wired(): { m: Metrics; feed: (r: ProbeResult) => void } {
  const m = new Metrics({ perTarget: true });
  const latest = new LatestResults();
  m.bind({ writer: { stats: { buffered: 0, written: 0, dropped: 0, failedFlushes: 0 } as never, waitingMs: () => 0 }, countEnabled: async () => 0, latest });
  return {
    m,
    feed: (r) => {
      latest.record(r);
      m.onResult(r);
    },
  };
}

async function read(m: Metrics) {
  const fams = new Map(parse(await m.registry.metrics()).map((f) => [f.name, f]));
  return (name: string, labels: Record<string, string>) => {
    const s = fams.get(name)?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
    return s?.value === undefined ? undefined : Number(s.value);
  };
}

describe('per-target metric rules', () => {
  it('local_error leaves up and the failure run as they were, and is counted', async () => {
    const { m, feed } = wired();
    m.onReconciled([target(1), target(2)]);
    for (const [id, o, c] of [
      [1, 'success', 2.5],
      [1, 'local_error', null],
      [2, 'refused', null],
      [2, 'timeout', null],
      [2, 'local_error', null],
    ] as const)
      feed(result(id, o, c));
    const v = await read(m);
    expect(v('netwatch_target_up', { target_id: '1' })).toBe(1);
    expect(v('netwatch_target_consecutive_failures', { target_id: '1' })).toBe(0);
    expect(v('netwatch_target_connect_seconds', { target_id: '1' })).toBe(0.0025);
    expect(v('netwatch_target_up', { target_id: '2' })).toBe(0);
    expect(v('netwatch_target_consecutive_failures', { target_id: '2' })).toBe(2);
    expect(v('netwatch_target_probes_total', { target_id: '2', outcome: 'local_error' })).toBe(1);
    expect(v('netwatch_probes_total', { outcome: 'local_error' })).toBe(2);
    expect(v('netwatch_probes_total', { outcome: 'success' })).toBe(1);
  });

  it('a success ends a failure run; the connect time is the last handshake', async () => {
    const { m, feed } = wired();
    m.onReconciled([target(1)]);
    for (const o of ['refused', 'timeout', 'reset'] as const) feed(result(1, o));
    expect((await read(m))('netwatch_target_consecutive_failures', { target_id: '1' })).toBe(3);
    feed(result(1, 'success', 1));
    feed(result(1, 'reset', 7)); // reset after the handshake: connected, then failed
    const v = await read(m);
    expect(v('netwatch_target_consecutive_failures', { target_id: '1' })).toBe(1);
    expect(v('netwatch_target_up', { target_id: '1' })).toBe(0);
    expect(v('netwatch_target_connect_seconds', { target_id: '1' })).toBe(0.007);
  });

  it('drops the series of targets no longer enabled, keeps names current', async () => {
    const { m, feed } = wired();
    m.onReconciled([target(1), target(2)]);
    feed(result(1, 'success', 1));
    feed(result(2, 'success', 1));
    m.onReconciled([target(1, 'renamed')]);
    const v = await read(m);
    expect(v('netwatch_target_up', { target_id: '1', name: 'renamed' })).toBe(1);
    for (const name of ['netwatch_target_up', 'netwatch_target_connect_seconds', 'netwatch_target_consecutive_failures']) expect(v(name, { target_id: '2' }), name).toBeUndefined();
    expect(v('netwatch_target_probes_total', { target_id: '2', outcome: 'success' })).toBeUndefined();
    expect(v('netwatch_targets_running', {})).toBe(1);
    expect(v('netwatch_probes_total', { outcome: 'success' })).toBe(2); // the global count keeps them
  });
});
