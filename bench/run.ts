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
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { testMysqlServer } from '../tests/helpers/stores.js';
import { restartToHealth } from './start.js';
import { CONFIG_IMPORT_GOAL_S, configImport } from './config-import.js';
import { liveBench } from './live.js';
import { command, createTargets, mb, openFresh, pct, r1 } from './run/common.js';
import { startListeners, type Peer } from './run/listeners.js';
import { probeCapacity, probeCapacityIsolated, type ProbeRow } from './run/probe.js';
import { bareMax, ceiling, type CeilingRow } from './run/ceiling.js';
import { ingest } from './run/ingest.js';
import { history } from './run/history.js';
import { dashboard, seedRollups } from './run/dashboard.js';
import { table } from './run/table.js';

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

if (args['inner-probe']) {
  const [d, n] = args['inner-probe'].split(':') as ['sqlite' | 'mysql', string];
  const row = await probeCapacity(d, Number(n), SECONDS, { peers: JSON.parse(process.env.BENCH_PEERS!) as Peer[] });
  process.stdout.write(`RESULT ${JSON.stringify(row)}\n`);
  process.exit(0);
} else {
  await main();
}
