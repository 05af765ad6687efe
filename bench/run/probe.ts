/**
 * Section `probe`: probe capacity of the real actors, writer and store, one case per child process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { LagStats, type LagSummary } from '../../src/actors/lag-stats.js';
import { startActors } from '../../src/actors/system.js';
import type { Db } from '../../src/store/db.js';
import { createTarget } from '../../src/store/targets.js';
import { command, here, mb, r1, silent, sleep } from './common.js';
import { countRows, openFresh } from './stores.js';
import type { Peer } from './listeners.js';

export interface ProbeRow {
  dialect: string;
  targets: number;
  seconds: number;
  probesPerSec: number;
  onTime: number | null;
  lag: LagSummary;
  writtenPerSec: number;
  probesMade: number;
  rowsStored: number;
  lost: number;
  dropped: number;
  failedFlushes: number;
  rssMB: number;
  heapMB: number;
  cpuPct: number;
  setupSec: number;
  command: string;
}

/**
 * Runs one probe-capacity case in a fresh Node process (same loader flags), so RSS and heap are
 * that case's alone and not what earlier cases left behind.
 */
export async function probeCapacityIsolated(dialect: 'sqlite' | 'mysql', n: number, seconds: number, peers: Peer[]): Promise<ProbeRow> {
  const child = spawn(process.execPath, [...process.execArgv, join(here, 'run.ts'), '--inner-probe', `${dialect}:${n}`, '--seconds', String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_PEERS: JSON.stringify(peers) },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line) throw new Error(`probe ${dialect} ${n}: child exited ${code}`);
  return JSON.parse(line.slice(7)) as ProbeRow;
}

export async function createTargets(db: Db, n: number, peers: Peer[]): Promise<void> {
  const now = Date.now();
  const make = (i: number) => {
    const p = peers[i % peers.length]!;
    return createTarget(db, { name: `bench-${i}`, host: p.host, port: p.port, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day', enabled: true }, now);
  };
  const par = db.dialect === 'mysql' ? 8 : 1;
  for (let i = 0; i < n; i += par) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(n, i + par); j++) batch.push(make(j));
    await Promise.all(batch);
  }
}

export async function probeCapacity(dialect: 'sqlite' | 'mysql', n: number, seconds: number, L: { peers: Peer[] }): Promise<ProbeRow> {
  const store = await openFresh(dialect);
  const db = store.db;
  try {
    const t0 = performance.now();
    await createTargets(db, n, L.peers);
    const window = new LagStats();
    let made = 0;
    let inWindow = false;
    let windowProbes = 0;
    const actors = startActors(db, silent, { purgeEveryMs: 3_600_000 });
    const record = actors.lag.record.bind(actors.lag);
    actors.lag.record = (lagMs: number, now: number) => {
      record(lagMs, now);
      made++;
      if (inWindow) {
        windowProbes++;
        window.record(lagMs, now);
      }
    };
    await actors.reconcile();
    const setupSec = (performance.now() - t0) / 1000;
    await sleep(3000); // every target has ticked at least twice
    let rss = 0;
    let heap = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      rss = Math.max(rss, m.rss);
      heap = Math.max(heap, m.heapUsed);
    }, 200);
    const written0 = actors.writer.stats.written;
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    inWindow = true;
    await sleep(seconds * 1000);
    inWindow = false;
    const wall = (performance.now() - w0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const written1 = actors.writer.stats.written;
    clearInterval(sampler);
    const lag = window.summary(Date.now());
    await actors.shutdown(30_000);
    const stats = actors.writer.stats;
    const rowsStored = await countRows(db);
    return {
      dialect,
      targets: n,
      seconds,
      probesPerSec: Math.round(windowProbes / wall),
      onTime: lag.onTime,
      lag,
      writtenPerSec: Math.round((written1 - written0) / wall),
      probesMade: made,
      rowsStored,
      lost: made - rowsStored,
      dropped: stats.dropped,
      failedFlushes: stats.failedFlushes,
      rssMB: mb(rss),
      heapMB: mb(heap),
      cpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / wall) * 100),
      setupSec: r1(setupSec),
      command: command('probe', { dialect, targets: n, seconds }),
    };
  } finally {
    await store.cleanup();
  }
}
