/**
 * Bench section `metrics` (issue 9, soak "on time" goal): how long one `GET /metrics` scrape holds
 * the event loop, with `targets` enabled targets exporting per-target series. The real `Metrics`
 * and the real route (`metricsRoutes`, Hono `app.request`); between scrapes every target records one
 * result per simulated second (10 s of 1 s probes, as the soak scrapes every 10 s), with a mix of
 * outcomes, so each scrape sees every target changed.
 *
 * Figures per scrape, ms: the longest synchronous span (largest gap between two turns of a
 * `setImmediate` chain that runs during the scrape: nothing else can run in that span, so it is
 * how late a probe timer due then would fire), `monitorEventLoopDelay` max (1 ms resolution, a
 * second view of the same), wall time and CPU (process.cpuUsage, user + system).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { OUTCOMES, type Outcome, type ProbeResult, type Target } from '../src/domain/types.js';
import { metricsRoutes } from '../src/http/routes/metrics.js';
import { Metrics } from '../src/metrics/metrics.js';
import { LatestResults } from '../src/actors/latest-results.js';
import { newWriterStats } from '../src/actors/writer-stats.js';

/** Goal of this round: no synchronous span longer than this per scrape at 2,000 targets, ms. */
export const SCRAPE_SPAN_GOAL_MS = 20;

/** Figures of one scrape, ms (bytes: response size). */
interface Scrape {
  longestSpanMs: number;
  loopDelayMaxMs: number;
  wallMs: number;
  cpuMs: number;
  bytes: number;
}

/** One size's figures: the first scrape (series created) and the median/max of the next ones. */
export interface MetricsRow {
  targets: number;
  series: number;
  first: Scrape;
  scrapes: number;
  medianSpanMs: number;
  maxSpanMs: number;
  medianCpuMs: number;
  medianWallMs: number;
  maxLoopDelayMs: number;
  goalMet: boolean | null;
}

const TOKEN = 'bench-metrics-token-0123456789';
const r1 = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A target as the supervisor's reconcile hands it over (only id/name/host/port matter here). */
function target(id: number): Target {
  return { id, name: `Bench target ${id}`, host: `127.0.${(id >> 8) & 255}.${id & 255}`, port: 1024 + (id % 60000), enabled: true } as Target;
}

/** The outcome of target `id`'s probe in second `s`: mostly success, some refused/timeout, a few flips. */
function outcomeOf(id: number, s: number): Outcome {
  const k = (id * 7 + s) % 20;
  return k < 14 ? 'success' : k < 17 ? 'refused' : k < 19 ? 'timeout' : OUTCOMES[(id + s) % OUTCOMES.length]!;
}

/** Runs `fn` while timing the event loop; @returns its figures. */
async function timed(fn: () => Promise<number>): Promise<Scrape> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let longest = 0;
  let running = true;
  let last = 0;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  h.enable();
  await new Promise((r) => setTimeout(r, 5)); // the histogram's first sample is only a baseline
  last = performance.now();
  setImmediate(tick);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  running = false;
  tick();
  h.disable();
  return { longestSpanMs: r1(longest), loopDelayMaxMs: r1(h.max / 1e6), wallMs: r1(wallMs), cpuMs: r1((cpu.user + cpu.system) / 1000), bytes };
}

/** Scrapes `scrapes` times with `n` targets; see the file comment. */
export async function metricsBench(n: number, scrapes = 10): Promise<MetricsRow> {
  const metrics = new Metrics({ perTarget: true });
  const latest = new LatestResults();
  metrics.bind({ writer: { stats: newWriterStats(), waitingMs: () => 0 }, countEnabled: async () => n, latest });
  const targets = Array.from({ length: n }, (_, i) => target(i + 1));
  metrics.onReconciled(targets);
  const app = metricsRoutes(TOKEN, metrics);
  let second = 0;
  const probeFor = (seconds: number) => {
    for (let s = 0; s < seconds; s++, second++)
      for (const t of targets) {
        const outcome = outcomeOf(t.id, second);
        const r = { targetId: t.id, startedAt: second * 1000, outcome, connectMs: outcome === 'success' ? 0.2 + (t.id % 10) / 10 : null } as ProbeResult;
        latest.record(r); // as system.ts hands each result over
        metrics.onResult(r);
      }
  };
  const scrape = () =>
    timed(async () => {
      const res = await app.request('http://localhost/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`metrics bench: ${res.status} ${text.slice(0, 200)}`);
      return Buffer.byteLength(text);
    });
  probeFor(10);
  const first = await scrape();
  const rows: Scrape[] = [];
  for (let i = 0; i < scrapes; i++) {
    probeFor(10);
    // one target renamed and one disabled every scrape, as the soak's churn does
    targets[i % n] = { ...targets[i % n]!, name: `renamed ${second}` };
    metrics.onReconciled(targets.filter((_, j) => j !== (i + 1) % n));
    await new Promise((r) => setTimeout(r, 20));
    rows.push(await scrape());
  }
  const text = await (await app.request('http://localhost/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const series = text.split('\n').filter((l) => l.startsWith('netwatch_target_')).length;
  const maxSpanMs = Math.max(...rows.map((r) => r.longestSpanMs));
  return {
    targets: n,
    series,
    first,
    scrapes,
    medianSpanMs: median(rows.map((r) => r.longestSpanMs)),
    maxSpanMs,
    medianCpuMs: median(rows.map((r) => r.cpuMs)),
    medianWallMs: median(rows.map((r) => r.wallMs)),
    maxLoopDelayMs: Math.max(...rows.map((r) => r.loopDelayMaxMs)),
    goalMet: n <= 2000 ? maxSpanMs <= SCRAPE_SPAN_GOAL_MS : null,
  };
}

/** One table line per row (bench/README.md "Metrics scrape"). */
export function metricsTable(rows: readonly MetricsRow[]): string[] {
  const lines = ['| /metrics scrape | series | longest sync span ms median / max | loop delay max ms | wall ms | CPU ms | first scrape span / CPU ms |', '|---|---|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(
      `| ${r.targets} targets, ${r.scrapes} scrapes | ${r.series} | ${r.medianSpanMs} / ${r.maxSpanMs} | ${r.maxLoopDelayMs} | ${r.medianWallMs} | ${r.medianCpuMs} | ${r.first.longestSpanMs} / ${r.first.cpuMs} |`,
    );
  return lines;
}
