/**
 * NetWatch benchmark (issue "Performance at scale"): probe capacity of the real actors, writer and
 * store against loopback listeners in a child process, the bare net.connect ceiling at the same
 * rate, writer ingest, history and dashboard latency through the real Hono app.
 *
 *   npm run bench                         # everything (< 10 min on 2 cores)
 *   npm run bench -- --quick              # 10 s windows, 1,000 and 10,000 targets, 200k ingest rows
 *   npm run bench -- --only probe,ceiling --targets 10000 --seconds 30 --dialect sqlite
 *   flags: --seconds N, --targets 1000,5000, --mysql-targets …, --ingest-rows N, --metrics-targets 2000,10000, --only <sections>
 *          (probe, ceiling, ingest, history, dashboard, start: restart on a built tree to healthy,
 *          nodes: 1 then 2 built NetWatch processes sharing --nodes-targets (default 10,000) on MariaDB),
 *          --dialect sqlite,mysql, --out file.json
 *
 * MariaDB/MySQL runs too when NETWATCH_TEST_MYSQL_URL is set (a fresh database, dropped after).
 * Traffic goes only to 127.0.0.2 … 127.0.0.11 (loopback).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, freemem, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { LagStats, type LagSummary } from '../src/actors/lag-stats.js';
import { phaseMs } from '../src/actors/schedule.js';
import { startActors } from '../src/actors/system.js';
import { FAILURE_OUTCOMES, type ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { ROLLUP_COLUMNS } from '../src/store/rows.js';
import { migrate } from '../src/store/migrate.js';
import { openMysql } from '../src/store/mysql.js';
import { openSqlite } from '../src/store/sqlite.js';
import { rebuildRollups, storeBatch } from '../src/store/rollups.js';
import { createTarget } from '../src/store/targets.js';
import { fillBuckets, historyBuckets } from '../src/store/history.js';
import { alignWindow } from '../src/domain/history-steps.js';
import { freshMysqlDatabase, testMysqlServer } from '../tests/helpers/stores.js';
import { testApp } from '../tests/helpers/app.js';
import { restartToHealth } from './start.js';
import { CONFIG_IMPORT_GOAL_S, configImport } from './config-import.js';
import { heapSnapshot, scheduleWatch, timedWriterDb } from './probe-watch.js';
import { LIVE_GOALS, liveBench } from './live.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    targets: { type: 'string' },
    only: { type: 'string' },
    dialect: { type: 'string' },
    'ingest-rows': { type: 'string' },
    'mysql-targets': { type: 'string' },
    'nodes-targets': { type: 'string' },
    'metrics-targets': { type: 'string' },
    out: { type: 'string' },
    /** internal: run one probe-capacity case in this (child) process and print it */
    'inner-probe': { type: 'string' },
  },
});

const SECONDS = Number(args.seconds ?? (args.quick ? 10 : 30));
const TARGETS = (args.targets ?? (args.quick ? '1000,10000' : '1000,5000,10000,20000')).split(',').map(Number);
// MariaDB probe runs: 1,000 and 10,000 by default (all four sizes on both stores do not fit in 10 min)
const MYSQL_TARGETS = (args['mysql-targets'] ?? (args.targets || args.quick ? TARGETS.join(',') : '1000,10000')).split(',').map(Number);
const INGEST_ROWS = Number(args['ingest-rows'] ?? (args.quick ? 200_000 : 1_000_000));
const ONLY = new Set((args.only ?? 'probe,ceiling,ingest,history,charts,dashboard,live,start,config,nodes,metrics').split(','));
const DIALECTS = (args.dialect ?? (testMysqlServer() ? 'sqlite,mysql' : 'sqlite')).split(',') as ('sqlite' | 'mysql')[];
const CEILING_SECONDS = Math.min(SECONDS, 15);
/** Hours of hourly rollups per target stored before the dashboard is read. */
const HISTORY_HOURS = 7 * 24;
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r1 = (x: number) => Math.round(x * 10) / 10;
const mb = (b: number) => Math.round(b / 1048576);

/** Reproduce one figure: the same bench, narrowed to that section. */
function command(section: string, extra: Record<string, string | number> = {}): string {
  const env = extra.dialect === 'mysql' ? 'NETWATCH_TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/x ' : '';
  const flags = Object.entries({ only: section, ...extra })
    .map(([k, v]) => `--${k} ${v}`)
    .join(' ');
  return `${env}npm run bench -- ${flags}`;
}

// ---------------------------------------------------------------------------------------------
// stores

interface Store {
  db: Db;
  dialect: 'sqlite' | 'mysql';
  cleanup(): Promise<void>;
}

async function openFresh(dialect: 'sqlite' | 'mysql'): Promise<Store> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'netwatch-bench-'));
    const db = openSqlite(join(dir, 'netwatch.db'));
    await migrate(db);
    return {
      db,
      dialect,
      cleanup: async () => {
        await db.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const fresh = await freshMysqlDatabase();
  if (!fresh) throw new Error('NETWATCH_TEST_MYSQL_URL is not set');
  const db = await openMysql(fresh.cfg);
  await migrate(db);
  return {
    db,
    dialect,
    cleanup: async () => {
      await db.close().catch(() => undefined);
      await fresh.drop();
    },
  };
}

async function countRows(db: Db, table = 'results'): Promise<number> {
  const r = await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM `.append(table));
  return Number(r?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------
// loopback listeners (child process)

interface Peer {
  host: string;
  port: number;
}

async function startListeners(addrs = 10, ports = 20): Promise<{ peers: Peer[]; child: ChildProcess; stats(): Promise<{ accepted: number; cpu: NodeJS.CpuUsage }> }> {
  const child = spawn(process.execPath, [join(here, 'listeners.mjs'), String(addrs), String(ports)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  lines.on('line', (l) => (waiters.length ? waiters.shift()!(l) : queue.push(l)));
  const next = () => new Promise<string>((r) => (queue.length ? r(queue.shift()!) : waiters.push(r)));
  const peers = JSON.parse(await next()) as Peer[];
  if (!peers.every((p) => p.host.startsWith('127.'))) throw new Error('listeners must be on loopback');
  return {
    peers,
    child,
    async stats() {
      child.stdin!.write('count\n');
      return JSON.parse(await next());
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 1. probe capacity of the real actors

interface ProbeRow {
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
async function probeCapacityIsolated(dialect: 'sqlite' | 'mysql', n: number, seconds: number, peers: Peer[]): Promise<ProbeRow> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--inner-probe', `${dialect}:${n}`, '--seconds', String(seconds)], {
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

async function createTargets(db: Db, n: number, peers: Peer[]): Promise<void> {
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

async function probeCapacity(dialect: 'sqlite' | 'mysql', n: number, seconds: number, L: { peers: Peer[] }): Promise<ProbeRow> {
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

// ---------------------------------------------------------------------------------------------
// 2. the ceiling: a bare net.connect loop at the same rate, spread like the targets

interface CeilingRow {
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

async function ceiling(n: number, seconds: number, peers: Peer[]): Promise<CeilingRow> {
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
async function bareMax(seconds: number, peers: Peer[]): Promise<{ connectsPerSec: number; command: string }> {
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

// ---------------------------------------------------------------------------------------------
// 3. ingest through storeBatch

/** Target ids 1…n in the order their 1 s slots come round (phaseMs): the order results reach the writer. */
const slotOrder = (n: number) => Array.from({ length: n }, (_, i) => i + 1).sort((a, b) => phaseMs(a, 1000) - phaseMs(b, 1000));
let slotOrderCache: number[] = [];

/** Results of `targets` targets at 1 s, in the order probing produces them (by slot, not by id). */
function syntheticBatch(start: number, size: number, targets: number, t0: number): ProbeResult[] {
  if (slotOrderCache.length !== targets) slotOrderCache = slotOrder(targets);
  const out: ProbeResult[] = new Array(size);
  for (let k = 0; k < size; k++) {
    const i = start + k;
    const ok = i % 50 !== 0;
    const targetId = slotOrderCache[i % targets]!;
    out[k] = {
      targetId,
      startedAt: t0 + Math.floor(i / targets) * 1000 + phaseMs(targetId, 1000),
      outcome: ok ? 'success' : 'refused',
      connectMs: ok ? 0.05 + (i % 97) / 1000 : null,
      dnsMs: null,
      address: `127.0.0.${2 + (i % 10)}`,
      localPort: 32768 + (i % 28000),
      errorCode: ok ? null : 'ECONNREFUSED',
    };
  }
  return out;
}

async function ingest(dialect: 'sqlite' | 'mysql', rows: number) {
  const store = await openFresh(dialect);
  try {
    const t0 = Date.now() - 86_400_000;
    let busy = 0;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < rows; i += 1000) {
      const batch = syntheticBatch(i, Math.min(1000, rows - i), 1000, t0);
      const s = performance.now();
      await storeBatch(store.db, batch);
      busy += performance.now() - s;
    }
    const cpu = process.cpuUsage(cpu0);
    const stored = await countRows(store.db);
    if (stored !== rows) throw new Error(`ingest: stored ${stored} of ${rows}`);
    // rows per s of this process's CPU: steadier than wall time on a shared machine (the server's CPU is not in it)
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    return {
      dialect,
      rows,
      seconds: r1(busy / 1000),
      rowsPerSec: Math.round(rows / (busy / 1000)),
      rowsPerCpuSec: Math.round(rows / cpuSec),
      command: command('ingest', { dialect, 'ingest-rows': rows }),
    };
  } finally {
    await store.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// 4. history of one target with 30 days of 1 s results, among 50 others

const DAY = 86_400_000;

async function generateRaw(db: Db, targetId: number, from: number, count: number, everyMs: number): Promise<void> {
  // k = 0 … count-1; every 97th probe refused, connect time varies; done in the database
  const cols = `INSERT INTO results (target_id, started_at, outcome, connect_ms, dns_ms, address, local_port, error_code) `;
  const sel = (k: string) => `SELECT ${targetId}, ${from} + ${k} * ${everyMs},
      CASE WHEN ${k} % 97 = 0 THEN 'refused' ELSE 'success' END,
      CASE WHEN ${k} % 97 = 0 THEN NULL ELSE 0.05 + (${k} % 89) / 1000.0 END, NULL, '127.0.0.2',
      32768 + ${k} % 28000, CASE WHEN ${k} % 97 = 0 THEN 'ECONNREFUSED' ELSE NULL END`;
  const chunk = 500_000;
  for (let s = 0; s < count; s += chunk) {
    const e = Math.min(count, s + chunk) - 1;
    await db.tx(async (tx) => {
      if (db.dialect === 'mysql') await tx.run(SQL``.append(`${cols} ${sel('seq')} FROM seq_${s}_to_${e}`));
      else await tx.run(SQL``.append(`${cols} WITH RECURSIVE q(k) AS (SELECT ${s} UNION ALL SELECT k + 1 FROM q WHERE k < ${e}) ${sel('k')} FROM q`));
    });
  }
}

async function history(dialect: 'sqlite' | 'mysql') {
  const store = await openFresh(dialect);
  const db = store.db;
  try {
    const g0 = performance.now();
    const now = Date.now();
    const end = now - (now % 60_000);
    const from = end - 30 * DAY;
    let big = 0;
    for (let i = 0; i < 51; i++) {
      const t = await createTarget(
        db,
        { name: `hist-${i}`, host: '127.0.0.2', port: 9, intervalSeconds: i === 25 ? 1 : 300, timeoutMs: null, retentionValue: 1, retentionUnit: 'year', enabled: false },
        now,
      );
      if (i === 25) big = t.id;
      await generateRaw(db, t.id, from, i === 25 ? 30 * 86_400 : 30 * 288, i === 25 ? 1000 : 300_000);
    }
    await rebuildRollups(db);
    const rawRows = await countRows(db);
    const genSec = r1((performance.now() - g0) / 1000);
    const { client } = await testApp(db, { now: () => end });
    const c = client();
    await c.login('admin', 'correct horse');
    const cases: { label: string; ms: number; step: string; tz?: string }[] = [
      { label: '1 h auto', ms: 3_600_000, step: 'auto' },
      { label: '24 h auto', ms: DAY, step: 'auto' },
      { label: '7 d auto', ms: 7 * DAY, step: 'auto' },
      { label: '30 d auto', ms: 30 * DAY, step: 'auto' },
      // the API refuses more than 5,000 buckets: 24 h at 10 s (8,640) is 400, so the API case is the
      // largest allowed window at 10 s, and 24 h at 10 s is timed on the store query below
      { label: '13.9 h at 10 s (5,000 buckets)', ms: 50_000_000, step: '10' },
      // local buckets: London days read the 1-hour rollups; +5:45 days and +5:30 hours the 1-minute ones
      { label: '30 d by 1 d, Europe/London', ms: 30 * DAY, step: '86400', tz: 'Europe/London' },
      { label: '30 d by 1 d, Asia/Kathmandu', ms: 30 * DAY, step: '86400', tz: 'Asia/Kathmandu' },
      { label: '7 d by 1 h, Asia/Kolkata', ms: 7 * DAY, step: '3600', tz: 'Asia/Kolkata' },
    ];
    const out = [];
    for (const k of cases) {
      const path = `/api/targets/${big}/history?from=${end - k.ms}&to=${end}&step=${k.step}${k.tz ? `&tz=${encodeURIComponent(k.tz)}` : ''}`;
      const warm = await c.req('GET', path);
      if (warm.status !== 200) throw new Error(`history ${k.label}: ${warm.status} ${JSON.stringify(warm.json)}`);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        await c.req('GET', path);
        times.push(performance.now() - s);
      }
      out.push({ dialect, query: k.label, step: warm.json.step, buckets: warm.json.buckets.length, medianMs: r1(median(times)), command: command('history', { dialect }) });
    }
    {
      const w = alignWindow(end - DAY, end, 10);
      await historyBuckets(db, big, w);
      const times: number[] = [];
      let n = 0;
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        n = fillBuckets(w, await historyBuckets(db, big, w)).length;
        times.push(performance.now() - s);
      }
      out.push({ dialect, query: '24 h at 10 s (store query; API refuses > 5,000 buckets)', step: 10, buckets: n, medianMs: r1(median(times)), command: command('history', { dialect }) });
    }
    return { rawRows, generateSec: genSec, queries: out };
  } finally {
    await store.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// 5. dashboard with 10,000 targets, last results present

/** 7 days of hourly rollups per target before now (the 24 h ratio must not read all of them). */
async function seedRollups(db: Db, dialect: 'sqlite' | 'mysql'): Promise<void> {
  const hour = Date.now() - (Date.now() % 3_600_000);
  const cols = `INSERT INTO results_1h ${ROLLUP_COLUMNS} `;
  // 10 refused an hour, no other failure outcome (one count per FAILURE_OUTCOMES column)
  const fails = FAILURE_OUTCOMES.map((o) => (o === 'refused' ? 10 : 0)).join(', ');
  const vals = (k: string) => `SELECT t.id, ${hour} - ${k} * 3600000, 3600, 3590, 359, 3590, 0.05, 0.9, ${fails}`;
  await db.tx(async (tx) => {
    if (dialect === 'mysql') await tx.run(SQL``.append(`${cols} ${vals('seq')} FROM targets t JOIN seq_1_to_${HISTORY_HOURS} h`));
    else await tx.run(SQL``.append(`${cols} WITH RECURSIVE h(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM h WHERE k < ${HISTORY_HOURS}) ${vals('k')} FROM targets t, h`));
  });
}

async function dashboard(dialect: 'sqlite' | 'mysql', n: number, L: { peers: Peer[] }) {
  const store = await openFresh(dialect);
  const db = store.db;
  try {
    await createTargets(db, n, L.peers);
    await seedRollups(db, dialect);
    // the real actors probe every target a few times, so the writer holds each last result
    const actors = startActors(db, silent, { purgeEveryMs: 3_600_000 });
    await actors.reconcile();
    const until = performance.now() + 20_000;
    while (actors.latest.snapshot().size < n && performance.now() < until) await sleep(200);
    await sleep(1500);
    await actors.shutdown(30_000);
    const { client, app } = await testApp(db, { actors });
    const c = client();
    await c.login('admin', 'correct horse');
    // timed until the whole response body is in (the browser's JSON.parse is not counted)
    const get = async () => {
      const s = performance.now();
      const res = await app.request('http://localhost/api/targets', { headers: { cookie: c.cookie } });
      const text = await res.text();
      return { ms: performance.now() - s, text, status: res.status };
    };
    const firstRes = await get();
    if (firstRes.status !== 200) throw new Error(`dashboard: ${firstRes.status}`);
    const warmMs = firstRes.ms;
    const times: number[] = [];
    let text = '';
    for (let i = 0; i < 5; i++) {
      const r = await get();
      times.push(r.ms);
      text = r.text;
    }
    const body = JSON.parse(text);
    const withLast = body.targets.filter((t: any) => t.lastResult && t.ratio24h !== null).length;
    return {
      dialect,
      targets: body.targets.length,
      withLastResultAndRatio: withLast,
      rollupHoursPerTarget: HISTORY_HOURS,
      responseMB: r1(text.length / 1048576),
      firstMs: r1(warmMs),
      medianMs: r1(median(times)),
      command: command('dashboard', { dialect }),
    };
  } finally {
    await store.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  const machine = { nproc: cpus().length, cpu: cpus()[0]?.model, memTotalMB: mb(totalmem()), memFreeMB: mb(freemem()), node: process.version };
  console.log(`NetWatch bench — ${machine.nproc} CPUs (${machine.cpu}), ${machine.memTotalMB} MB RAM, Node ${machine.node}; dialects ${DIALECTS.join(', ')}`);
  const results: Record<string, unknown> = { machine, startedAt: new Date().toISOString(), args };
  const L = await startListeners();
  console.log(`listeners: ${L.peers.length} ports on ${new Set(L.peers.map((p) => p.host)).size} loopback addresses (child pid ${L.child.pid}); ulimit -n is inherited`);
  const log = (s: string) => console.log(`[${r1((performance.now() - started) / 1000)} s] ${s}`);
  try {
    if (ONLY.has('ceiling')) {
      const rows: CeilingRow[] = [];
      const max = await bareMax(5, L.peers);
      log(`bare max (256 in flight): ${max.connectsPerSec} connects/s`);
      for (const n of TARGETS) {
        const row = await ceiling(n, CEILING_SECONDS, L.peers);
        log(`ceiling ${n}: ${row.connectsPerSec}/s on time ${pct(row.onTime)} p99 ${row.lag.p99} ms cpu ${row.cpuPct}%`);
        rows.push(row);
      }
      results.ceiling = { bareMax: max, rows };
    }
    if (ONLY.has('probe')) {
      const rows: ProbeRow[] = [];
      for (const d of DIALECTS) {
        for (const n of d === 'mysql' ? MYSQL_TARGETS : TARGETS) {
          const row = await probeCapacityIsolated(d, n, SECONDS, L.peers);
          log(
            `probe ${d} ${n}: ${row.probesPerSec}/s on time ${pct(row.onTime)} p50 ${row.lag.p50} p99 ${row.lag.p99} max ${row.lag.max} lost ${row.lost} rss ${row.rssMB} MB cpu ${row.cpuPct}% full schedule ${row.fullScheduleSec} s writer ${row.writerRowsPerSec} rows/s`,
          );
          rows.push(row);
        }
      }
      results.probe = rows;
    }
    if (ONLY.has('ingest')) {
      const rows = [];
      for (const d of DIALECTS) {
        const row = await ingest(d, INGEST_ROWS);
        log(`ingest ${d}: ${row.rowsPerSec} rows/s, ${row.rowsPerCpuSec} rows per CPU s`);
        rows.push(row);
      }
      results.ingest = rows;
    }
    if (ONLY.has('metrics')) {
      // issue 9: event-loop blocking of one /metrics scrape (bench/metrics.ts)
      const { metricsBench, metricsTable } = await import('./metrics.js');
      const rows = [];
      for (const n of (args['metrics-targets'] ?? '2000,10000').split(',').map(Number)) {
        const row = await metricsBench(n);
        log(`metrics: ${n} targets, ${row.series} series: longest sync span median ${row.medianSpanMs} ms, max ${row.maxSpanMs} ms; CPU ${row.medianCpuMs} ms per scrape`);
        rows.push({ ...row, command: command('metrics', { 'metrics-targets': n }) });
      }
      results.metrics = rows;
      console.log('\n' + metricsTable(rows).join('\n'));
    }
    if (ONLY.has('history')) {
      const rows = [];
      for (const d of DIALECTS) {
        const h = await history(d);
        log(`history ${d}: ${h.rawRows} raw rows generated in ${h.generateSec} s; ${h.queries.map((q) => `${q.query} ${q.medianMs} ms`).join(', ')}`);
        rows.push({ dialect: d, ...h });
      }
      results.history = rows;
    }
    if (ONLY.has('config')) {
      const rows = [];
      for (const d of DIALECTS) {
        const st = await openFresh(d);
        try {
          const row = await configImport(st.db, 10_000);
          log(
            `config ${d}: ${row.targets} targets (${mb(row.bytes)} MiB YAML) imported in ${row.importSec} s (goal < ${CONFIG_IMPORT_GOAL_S} s${d === 'sqlite' ? '' : ', SQLite only'}), again ${row.reimportSec} s, export ${row.exportSec} s`,
          );
          rows.push({ dialect: d, ...row, command: command('config', { dialect: d }) });
        } finally {
          await st.cleanup();
        }
      }
      results.config = rows;
    }
    if (ONLY.has('charts')) {
      // issue 13: high-density chart endpoints (bench/charts.ts)
      const { chartsBench } = await import('./charts.js');
      const rows = [];
      for (const d of DIALECTS) {
        const row = await chartsBench(d);
        log(`charts ${d}: ${row.queries.map((q) => `${q.query} ${q.medianMs} ms, ${Math.round(q.gzipBytes / 1024)} KiB gzip`).join('; ')}`);
        rows.push({ dialect: d, ...row });
      }
      results.charts = rows;
    }
    if (ONLY.has('dashboard')) {
      const rows = [];
      for (const d of DIALECTS) {
        const row = await dashboard(d, 10_000, L);
        log(`dashboard ${d}: ${row.targets} targets, median ${row.medianMs} ms (first ${row.firstMs} ms)`);
        rows.push(row);
      }
      results.dashboard = rows;
    }
    if (ONLY.has('live')) {
      // issue 12 §4: live dashboard (bench/live.ts); needs the built UI (npm run build)
      const rows = [];
      for (const d of DIALECTS) {
        const st = await openFresh(d);
        try {
          await createTargets(st.db, 10_000, L.peers);
          await seedRollups(st.db, d);
          const row = await liveBench(st.db, 10_000, Math.min(SECONDS, 10));
          log(
            `live ${d}: list ${row.list.medianMs} ms ${Math.round(row.list.bytes / 1024)} KiB (${Math.round(row.list.gzipBytes / 1024)} KiB gzip); ${Math.round(row.steady.bytesPerSec / 1024)} KiB/s; change on screen ${row.change.screenMs.join('/')} ms; first row ${row.chromium.firstRowMs} ms`,
          );
          rows.push({ dialect: d, ...row, command: command('live', { dialect: d }) });
        } finally {
          await st.cleanup();
        }
      }
      results.live = rows;
    }
    if (ONLY.has('nodes')) {
      // issue 10: 1 node, then 2 nodes in one location, on the same targets and database (bench/nodes.ts)
      if (!testMysqlServer()) log('nodes: skipped (needs NETWATCH_TEST_MYSQL_URL)');
      else {
        const { nodesBench } = await import('./nodes.js');
        const n = Number(args['nodes-targets'] ?? 10_000);
        results.nodes = { ...(await nodesBench(n, SECONDS, L.peers, log)), command: command('nodes', { dialect: 'mysql', 'nodes-targets': n, seconds: SECONDS }) };
      }
    }
    if (ONLY.has('start')) {
      const row = await restartToHealth(join(here, '..'));
      log(
        `start: npm start on a built tree healthy in median ${row.medianMs} ms, max ${row.maxMs} ms over ${row.runs} runs (goal ${row.goalMs} ms${row.rebuilt ? `; ${row.rebuilt} run(s) rebuilt first` : ''})`,
      );
      results.start = { ...row, command: command('start') };
    }
  } finally {
    L.child.stdin!.end();
    await once(L.child, 'exit').catch(() => undefined);
  }
  results.totalSeconds = r1((performance.now() - started) / 1000);
  const file = args.out ?? join(here, 'results.json');
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log('\n' + table(results));
  console.log(`\nwritten ${file}; total ${results.totalSeconds} s`);
  process.exit(0);
}

function pct(x: number | null | undefined): string {
  return x == null ? '–' : `${(x * 100).toFixed(2)} %`;
}

/** Markdown table of everything measured. */
function table(res: any): string {
  const lines: string[] = [];
  const ceil = new Map<number, number>((res.ceiling?.rows ?? []).map((r: CeilingRow) => [r.targets, r.connectsPerSec]));
  if (res.ceiling) {
    lines.push(`Bare ceiling: closed loop, 256 in flight: ${res.ceiling.bareMax.connectsPerSec} connects/s`, '');
    lines.push('| ceiling (bare net.connect, 1 timer) | connects/s | on time | lag p50/p99/max ms | CPU % |', '|---|---|---|---|---|');
    for (const r of res.ceiling.rows as CeilingRow[])
      lines.push(`| ${r.targets} targets × 1 s, ${r.seconds} s | ${r.connectsPerSec} | ${pct(r.onTime)} | ${r.lag.p50}/${r.lag.p99}/${r.lag.max} | ${r.cpuPct} |`);
    lines.push('');
  }
  if (res.charts) {
    lines.push('| charts (issue 13) | median ms | CPU ms | goal ms | JSON KiB | gzip KiB |', '|---|---|---|---|---|---|');
    for (const d of res.charts)
      for (const q of d.queries) lines.push(`| ${q.dialect} ${q.query} | ${q.medianMs} | ${q.cpuMs} | < ${q.goalMs} | ${Math.round(q.bytes / 1024)} | ${Math.round(q.gzipBytes / 1024)} |`);
    lines.push('');
  }
  if (res.probe) {
    lines.push(
      '| probe capacity | probes/s | vs ceiling | on time | lag p50/p99/max ms | written/s | made / stored / lost / dropped | RSS MB (peak) | CPU % | full schedule s | writer rows/s |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of res.probe as ProbeRow[]) {
      const c = ceil.get(r.targets);
      lines.push(
        `| ${r.dialect} ${r.targets} × 1 s, ${r.seconds} s | ${r.probesPerSec} | ${c ? pct(r.probesPerSec / c) : '–'} | ${pct(r.onTime)} | ${r.lag.p50}/${r.lag.p99}/${r.lag.max} | ${r.writtenPerSec} | ${r.probesMade} / ${r.rowsStored} / ${r.lost} / ${r.dropped} | ${r.rssMB} | ${r.cpuPct} | ${r.fullScheduleSec ?? '–'} | ${r.writerRowsPerSec ?? '–'} |`,
      );
    }
    lines.push('');
  }
  if (res.ingest) {
    lines.push('| ingest (storeBatch, 1,000/batch) | rows | s | rows/s | rows per CPU s (client) |', '|---|---|---|---|---|');
    for (const r of res.ingest) lines.push(`| ${r.dialect} | ${r.rows} | ${r.seconds} | ${r.rowsPerSec} | ${r.rowsPerCpuSec} |`);
    lines.push('');
  }
  if (res.history) {
    lines.push('| history (GET, median of 5) | step s | buckets | ms |', '|---|---|---|---|');
    for (const h of res.history) for (const q of h.queries) lines.push(`| ${h.dialect} ${q.query} (${h.rawRows} raw rows) | ${q.step} | ${q.buckets} | ${q.medianMs} |`);
    lines.push('');
  }
  if (res.dashboard) {
    lines.push('| dashboard GET /api/targets | targets (with last result + ratio) | response MB | first ms | median ms |', '|---|---|---|---|---|');
    for (const r of res.dashboard)
      lines.push(`| ${r.dialect}, ${r.rollupHoursPerTarget} h of hourly rollups per target | ${r.targets} (${r.withLastResultAndRatio}) | ${r.responseMB} | ${r.firstMs} | ${r.medianMs} |`);
    lines.push('');
  }
  if (res.live) {
    const g = LIVE_GOALS;
    lines.push(
      `| live dashboard (issue 12 §4) | list median ms (< ${g.listMs}) | list KiB (< ${g.listBytes / 1000} kB) / gzip | stream B/s (< ${g.bytesPerSec / 1000} kB/s) | entries/s | change → SSE ms | change → screen ms (< ${g.changeMs}) | first row / all counted ms (< ${g.firstPaintMs}) | filter ms | scroll frame p95/max ms |`,
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of res.live)
      lines.push(
        `| ${r.dialect} ${r.targets} × 1 s | ${r.list.medianMs} (first ${r.list.firstMs}) | ${Math.round(r.list.bytes / 1024)} / ${Math.round(r.list.gzipBytes / 1024)} | ${r.steady.bytesPerSec} | ${r.steady.entriesPerSec} | ${r.change.sseMs.join('/')} | ${r.change.screenMs.join('/')} | ${r.chromium.firstRowMs} / ${r.chromium.allCountedMs} | ${r.chromium.filterMs.join('/')} | ${r.chromium.scrollFrameP95Ms}/${r.chromium.scrollFrameMaxMs} |`,
      );
  }
  if (res.nodes) {
    lines.push(
      '',
      `| nodes (issue 10), ${res.nodes.targets} targets at 1 s, MariaDB | node | targets | probes/s | on time | lag p50/p99/max ms | CPU % | lost / doubled slots (location) | MariaDB CPU % | load 1/5/15 |`,
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const w of res.nodes.windows) {
      for (const r of w.perNode) {
        lines.push(
          `| ${w.nodes} node${w.nodes > 1 ? 's' : ''}, ${w.seconds} s | ${r.node} | ${r.targets} | ${r.probesPerSec} | ${pct(r.onTime)} | ${r.lagP50}/${r.lagP99}/${r.lagMax} | ${r.cpuPct} | ${w.lost} / ${w.doubled} of ${w.expectedSlots} | ${w.mariadbCpuPct ?? '–'} | ${w.load.join(' ')} |`,
        );
      }
    }
  }
  return lines.join('\n');
}

if (args['inner-probe']) {
  const [d, n] = args['inner-probe'].split(':') as ['sqlite' | 'mysql', string];
  const row = await probeCapacity(d, Number(n), SECONDS, { peers: JSON.parse(process.env.BENCH_PEERS!) as Peer[] });
  process.stdout.write(`RESULT ${JSON.stringify(row)}\n`);
  process.exit(0);
} else {
  await main();
}
