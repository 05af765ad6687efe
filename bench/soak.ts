/**
 * Soak (issue 9 §6): the real server (`node dist/src/main.js`, SQLite) for N minutes against
 * loopback peers with a mix of outcomes, while a few targets are created, edited, disabled and
 * deleted every minute through the API. Every 10 s it scrapes the server's own /metrics for RSS,
 * heap, open descriptors and active handles, and prints each one's slope after warm-up, the
 * descriptors after each delete wave against the baseline, results lost and the on-time share.
 *
 *   npm run build && npm run soak -- --minutes 60 --targets 2000
 *   flags: --minutes N (60), --targets N (2000), --warmup N minutes (10, at most a third of the run),
 *          --dns-error (also `.invalid` names, RFC 6761; the system resolver may be asked), --out file.json
 *
 * Outcome mix: 70 % success (bench/listeners.mjs on 127.0.0.2…11), 15 % refused (closed loopback
 * ports), 15 % timeout (a never-accepting listener, tests/helpers/net.ts), or 10/10/10 with dns_error.
 * Not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import parse from 'parse-prometheus-text-format';
import { openSqlite } from '../src/store/sqlite.js';
import { migrate } from '../src/store/migrate.js';
import { createTarget } from '../src/store/targets.js';
import { blackhole, closedPort } from '../tests/helpers/net.js';
import { startServer } from '../tests/helpers/server.js';

const { values: args } = parseArgs({
  options: { minutes: { type: 'string' }, targets: { type: 'string' }, warmup: { type: 'string' }, 'dns-error': { type: 'boolean', default: false }, out: { type: 'string' } },
});
const MINUTES = Number(args.minutes ?? 60);
const TARGETS = Number(args.targets ?? 2000);
const WARMUP_MS = Math.min(Number(args.warmup ?? 10), MINUTES / 3) * 60_000;
const TOKEN = 'soak-metrics-token-0123456789';
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

interface Sample {
  t: number;
  rss: number;
  heap: number;
  fds: number;
  handles: number;
  probes: number;
  written: number;
  buffered: number;
  dropped: number;
  lagCount: number;
  lagOnTime: number;
}

/** Least-squares slope of y over t (per hour) and the fitted growth over the span, in %. */
function slope(points: { t: number; y: number }[]): { perHour: number; growthPct: number } {
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const b = points.reduce((a, p) => a + (p.t - mt) * (p.y - my), 0) / (points.reduce((a, p) => a + (p.t - mt) ** 2, 0) || 1);
  const span = points[n - 1]!.t - points[0]!.t;
  const first = my - b * (mt - points[0]!.t);
  return { perHour: b * 3_600_000, growthPct: first ? ((b * span) / first) * 100 : 0 };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nw-soak-'));
  const listeners = spawn(process.execPath, [join(import.meta.dirname, 'listeners.mjs'), '10', '20'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const peers = JSON.parse(await new Promise<string>((r) => createInterface({ input: listeners.stdout! }).once('line', r))) as { host: string; port: number }[];
  if (!peers.every((p) => p.host.startsWith('127.'))) throw new Error('peers must be on loopback');
  const hole = await blackhole();
  const closed = await Promise.all(Array.from({ length: 10 }, () => closedPort()));
  const kinds = args['dns-error'] ? [0.7, 0.8, 0.9] : [0.7, 0.85, 1];
  let k = 0;
  const spec = (i: number) => {
    const x = (i * 0.6180339887) % 1; // spread kinds evenly over ids
    const base = { name: `soak ${i}`, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'hour' as const, enabled: true };
    if (x < kinds[0]!) {
      const p = peers[k++ % peers.length]!;
      return { ...base, host: p.host, port: p.port };
    }
    if (x < kinds[1]!) return { ...base, host: '127.0.0.1', port: closed[i % closed.length]! };
    if (x < kinds[2]!) return { ...base, host: '127.0.0.1', port: hole.port, timeoutMs: 500 };
    return { ...base, host: `soak-${i}.invalid`, port: 80 };
  };
  // seed the targets in the store before the server starts (one reconcile, not one per POST)
  const seed = openSqlite(join(dir, 'netwatch.db'));
  await migrate(seed);
  for (let i = 0; i < TARGETS; i++) await createTarget(seed, spec(i), Date.now());
  await seed.close();

  const server = await startServer({ NETWATCH_DATA_DIR: dir, NETWATCH_METRICS_TOKEN: TOKEN, ROOT_USER: 'admin', ROOT_PASSWORD: 'soak password', CORE_LOG_LEVEL: 'warn', HTTP_LOG_LEVEL: 'warn' });
  log(`server ${server.url}, ${TARGETS} targets at 1 s, ${MINUTES} min, warm-up ${WARMUP_MS / 60_000} min`);
  const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'soak password' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api${path}`, { method, headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });

  const scrape = async (): Promise<Sample> => {
    const fams = new Map(parse(await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text()).map((f) => [f.name, f]));
    const v = (n: string) => (fams.get(n)?.metrics ?? []).reduce((a, m) => a + Number(m.value ?? 0), 0);
    const lag = fams.get('netwatch_schedule_lag_seconds')!.metrics[0]!;
    return {
      t: Date.now(),
      rss: v('process_resident_memory_bytes') / 1048576,
      heap: v('nodejs_heap_size_used_bytes') / 1048576,
      fds: v('process_open_fds'),
      handles: v('nodejs_active_handles_total'),
      probes: v('netwatch_probes_total'),
      written: v('netwatch_writer_results_written_total'),
      buffered: v('netwatch_writer_results_buffered'),
      dropped: v('netwatch_writer_results_dropped_total'),
      lagCount: Number(lag.count),
      lagOnTime: Number(lag.buckets!['0.05']),
    };
  };

  const started = Date.now();
  const samples: Sample[] = [];
  const waves: { t: number; fds: number; baseline: number }[] = [];
  let churned: number[] = [];
  let minute = 0;
  const end = started + MINUTES * 60_000;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 10_000));
    const s = await scrape();
    samples.push(s);
    if (samples.length % 6 !== 0) continue;
    minute++;
    // churn: delete last minute's 5, create 5, edit 2 of them, disable 1
    const before = s.fds;
    for (const id of churned) await api('DELETE', `/targets/${id}`);
    if (churned.length) {
      await new Promise((r) => setTimeout(r, 5_000));
      const after = (await scrape()).fds;
      waves.push({ t: Date.now(), fds: after, baseline: before });
    }
    churned = [];
    for (let i = 0; i < 5; i++) churned.push(((await (await api('POST', '/targets', spec(TARGETS + minute * 5 + i))).json()) as { id: number }).id);
    for (const id of churned.slice(0, 2)) await api('PUT', `/targets/${id}`, { port: closed[0] });
    await api('PUT', `/targets/${churned[4]}`, { enabled: false });
    log(`minute ${minute}: rss ${s.rss.toFixed(0)} MB heap ${s.heap.toFixed(0)} MB fds ${s.fds} handles ${s.handles} probes ${s.probes} buffered ${s.buffered} dropped ${s.dropped}`);
  }
  const last = await scrape();
  await server.stop();
  listeners.stdin!.end();
  await hole.close();
  rmSync(dir, { recursive: true, force: true });

  const after = samples.filter((s) => s.t - started >= WARMUP_MS);
  const first = after[0]!;
  const result = {
    minutes: MINUTES,
    targets: TARGETS,
    warmupMinutes: WARMUP_MS / 60_000,
    samples: after.length,
    slopes: Object.fromEntries((['rss', 'heap', 'fds', 'handles'] as const).map((key) => [key, slope(after.map((s) => ({ t: s.t, y: s[key] })))])),
    deleteWaves: waves.map((w) => ({ fdsAfter: w.fds, fdsBefore: w.baseline, back: w.fds <= w.baseline })),
    lost: last.dropped + Math.max(0, last.probes - last.written - last.buffered),
    onTime: (last.lagOnTime - first.lagOnTime) / Math.max(1, last.lagCount - first.lagCount),
    command: `npm run soak -- --minutes ${MINUTES} --targets ${TARGETS}${args['dns-error'] ? ' --dns-error' : ''}`,
  };
  console.log(JSON.stringify(result, null, 2));
  if (args.out) writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');
  process.exit(0);
}

await main();
