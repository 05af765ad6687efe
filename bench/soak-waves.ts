/**
 * The soak's churn waves (issue 9 §6): every minute 5 targets are created, 2 of them edited and 1
 * disabled, and the previous minute's 5 deleted. Each wave probes its own loopback address
 * (127.77.x.y, nothing else uses it), so any socket the server still holds to that address after
 * the wave's deletion + timeout + a grace is the wave's and is a leak, whatever the steady load does.
 * Peers: two accept-and-close listeners, a never-accepting listener (timeout), a closed port (refused).
 */
import { blackhole, closedPort, listener } from '../tests/helpers/net.js';

/** Probe timeout of every wave target, ms: a deleted wave's last probe ends within it. */
export const WAVE_TIMEOUT_MS = 800;

/** The loopback address of wave `n` (n ≥ 0): 127.77.0.1, 127.77.0.2, … (250 per /24). */
export const waveAddress = (n: number) => `127.77.${Math.floor(n / 250)}.${(n % 250) + 1}`;

/** One wave's peers and the targets made on them. */
export interface Wave {
  n: number;
  addr: string;
  ids: number[];
  close(): Promise<void>;
  /** Target bodies for POST /api/targets, and the two edits (PUT bodies for ids[0], ids[1]). */
  specs: Record<string, unknown>[];
  edits: [Record<string, unknown>, Record<string, unknown>];
}

/** Opens wave `n`'s peers on its own address. */
export async function openWave(n: number): Promise<Wave> {
  const addr = waveAddress(n);
  const drop = (s: import('node:net').Socket) => {
    s.on('error', () => undefined);
    s.destroy();
  };
  const [a, b, hole, refused] = await Promise.all([listener(addr, drop), listener(addr, drop), blackhole(addr), closedPort(addr)]);
  const base = (i: number) => ({ name: `wave ${n}.${i}`, intervalSeconds: 1, timeoutMs: WAVE_TIMEOUT_MS, retentionValue: 1, retentionUnit: 'hour', enabled: true, host: addr });
  return {
    n,
    addr,
    ids: [],
    // success, timeout, refused, timeout, success (the last one is disabled): two timeouts stay
    // active, so a deleted wave always has probes out that only their timeout ends
    specs: [
      { ...base(0), port: a.port },
      { ...base(1), port: hole.port },
      { ...base(2), port: refused },
      { ...base(3), port: hole.port },
      { ...base(4), port: a.port },
    ],
    // success moved to another listener; a timeout target given a shorter timeout (rescheduled)
    edits: [{ port: b.port }, { timeoutMs: WAVE_TIMEOUT_MS - 200 }],
    async close() {
      await Promise.all([a.close(), b.close(), hole.close()]);
    },
  };
}
