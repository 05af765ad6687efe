/** Section 1: probe capacity of the real actors, writer and store, one case per fresh Node process. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LagStats, type LagSummary } from '../../src/actors/lag-stats.js';
import { startActors } from '../../src/actors/system.js';
import { heapSnapshot, scheduleWatch, timedWriterDb } from '../probe-watch.js';
import { command, countRows, createTargets, mb, openFresh, r1, silent, sleep } from './common.js';
import type { Peer } from './listeners.js';

/** bench/run.ts: the child runs it with `--inner-probe`. */
const RUN = join(dirname(fileURLToPath(import.meta.url)), '..', 'run.ts');

/** One probe-capacity case. */
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
  /** s from startActors until every target had probed within 50 ms of its slot (issue 12 §5); null: not within the run. */
  fullScheduleSec: number | null;
  /** Rows the writer stored per s of its own transaction time during the window (issue 12 §3). */
  writerRowsPerSec: number | null;
  command: string;
}

/**
 * Runs one probe-capacity case in a fresh Node process (same loader flags), so RSS and heap are
 * that case's alone and not what earlier cases left behind.
 */
export async function probeCapacityIsolated(dialect: 'sqlite' | 'mysql', n: number, seconds: number, peers: Peer[]): Promise<ProbeRow> {
  const child = spawn(process.execPath, [...process.execArgv, RUN, '--inner-probe', `${dialect}:${n}`, '--seconds', String(seconds)], {
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
    const timed = timedWriterDb(db);
    const a0 = performance.now();
    const watch = scheduleWatch(n, a0);
    const actors = startActors(timed.db, silent, { purgeEveryMs: 3_600_000 });
    const submit = actors.writer.submit;
    actors.writer.submit = (r) => {
      watch.see(r);
      submit(r);
    };
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
    // restart to full schedule: wait (outside the window) until every target probed on its slot, at most 20 s
    while (watch.fullScheduleSec() === null && performance.now() - a0 < 20_000) await sleep(100);
    let rss = 0;
    let heap = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      rss = Math.max(rss, m.rss);
      heap = Math.max(heap, m.heapUsed);
    }, 200);
    const written0 = actors.writer.stats.written;
    timed.reset();
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    inWindow = true;
    await sleep(seconds * 1000);
    inWindow = false;
    const wall = (performance.now() - w0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const written1 = actors.writer.stats.written;
    const busyMs = timed.busyMs();
    clearInterval(sampler);
    heapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
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
      fullScheduleSec: watch.fullScheduleSec() === null ? null : r1(watch.fullScheduleSec()!),
      writerRowsPerSec: busyMs > 0 ? Math.round((written1 - written0) / (busyMs / 1000)) : null,
      command: command('probe', { dialect, targets: n, seconds }),
    };
  } finally {
    await store.cleanup();
  }
}
