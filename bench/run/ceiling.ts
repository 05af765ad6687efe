/** Section 2: the ceiling, a bare net.connect loop at the same rate, spread like the targets. */
import net from 'node:net';
import { LagStats, type LagSummary } from '../../src/actors/lag-stats.js';
import { phaseMs } from '../../src/actors/schedule.js';
import { command, sleep } from './common.js';
import type { Peer } from './listeners.js';

/** One ceiling case. */
export interface CeilingRow {
  targets: number;
  seconds: number;
  connectsPerSec: number;
  onTime: number | null;
  lag: LagSummary;
  failures: number;
  cpuPct: number;
  command: string;
}

function bareConnect(p: Peer, done: (ok: boolean) => void): void {
  const s = net.connect({ host: p.host, port: p.port, family: 4, autoSelectFamily: false });
  s.once('connect', () => {
    done(true);
    s.resume();
    s.end();
  });
  s.on('error', () => {
    done(false);
    s.destroy();
  });
}

/** Opens one connection per slot of `n` targets at 1 s for `seconds`, on one timer. */
export async function ceiling(n: number, seconds: number, peers: Peer[]): Promise<CeilingRow> {
  // slot i: phase of target id i+1, peer like the targets; one timer drives all of them
  const order = Array.from({ length: n }, (_, i) => ({ phase: phaseMs(i + 1, 1000), peer: peers[i % peers.length]! })).sort((a, b) => a.phase - b.phase);
  const lag = new LagStats();
  let connects = 0;
  let failures = 0;
  let measuring = false;
  let stop = false;
  let second = Math.floor(Date.now() / 1000) * 1000;
  let idx = 0;
  const loop = () => {
    if (stop) return;
    const now = Date.now();
    for (;;) {
      if (idx === order.length) {
        idx = 0;
        second += 1000;
      }
      const slot = second + order[idx]!.phase;
      if (slot > now) break;
      if (now - slot < 1000) {
        if (measuring) lag.record(now - slot, now);
        bareConnect(order[idx]!.peer, (ok) => {
          if (!measuring) return;
          if (ok) connects++;
          else failures++;
        });
      }
      idx++;
    }
    const nextSlot = (idx === order.length ? second + 1000 + order[0]!.phase : second + order[idx]!.phase) - Date.now();
    setTimeout(loop, Math.max(0, nextSlot));
  };
  // start at the next second so the first slots are not all in the past
  second = Math.ceil(Date.now() / 1000) * 1000;
  loop();
  await sleep(2000);
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  measuring = true;
  await sleep(seconds * 1000);
  measuring = false;
  const wall = (performance.now() - w0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stop = true;
  const s = lag.summary(Date.now());
  await sleep(1500);
  return {
    targets: n,
    seconds,
    connectsPerSec: Math.round(connects / wall),
    onTime: s.onTime,
    lag: s,
    failures,
    cpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / wall) * 100),
    command: command('ceiling', { targets: n, seconds }),
  };
}

/** Closed loop, 256 connects in flight: the most connects/s this machine does at all. */
export async function bareMax(seconds: number, peers: Peer[]): Promise<{ connectsPerSec: number; command: string }> {
  let done = 0;
  let stop = false;
  let i = 0;
  const one = () => {
    if (stop) return;
    bareConnect(peers[i++ % peers.length]!, () => {
      done++;
      setImmediate(one);
    });
  };
  const w0 = performance.now();
  for (let k = 0; k < 256; k++) one();
  await sleep(seconds * 1000);
  stop = true;
  const rate = Math.round(done / ((performance.now() - w0) / 1000));
  await sleep(1500);
  return { connectsPerSec: rate, command: command('ceiling', { targets: 0, seconds }) };
}
