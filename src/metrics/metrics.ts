/**
 * NetWatch's Prometheus metrics (issue 9 §1), on a registry of its own (prom-client):
 * - process and Node.js default metrics (`process_*`, `nodejs_*`);
 * - `netwatch_probes_total{outcome}`: probes since start, one series per outcome in {@link OUTCOMES};
 * - `netwatch_schedule_lag_seconds`: histogram of probe start − scheduled slot, s;
 * - writer: `netwatch_writer_results_buffered` (waiting to be stored), `netwatch_writer_results_written_total`,
 *   `netwatch_writer_results_dropped_total` (oldest dropped past the buffer bound),
 *   `netwatch_writer_waiting_seconds` (how long results have waited without a successful flush),
 *   `netwatch_writer_flush_duration_seconds` histogram (every flush; failed ones also count in
 *   `netwatch_database_errors_total{source="writer"}`);
 * - `netwatch_database_errors_total{source="writer"|"api"}`: failed flushes and API requests that
 *   met a database error;
 * - `netwatch_targets_enabled` (enabled in the database, read at scrape) and
 *   `netwatch_targets_running` (target actors the supervisor runs);
 * - per target (unless `NETWATCH_METRICS_PER_TARGET=false`): see target-series.ts.
 * The actors call the `on*` hooks (system.ts); the scrape reads the rest through {@link MetricSources}.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OUTCOMES, type ProbeResult, type Target } from '../domain/types.js';
import type { WriterStats } from '../actors/writer-stats.js';
import type { LatestResults } from '../actors/latest-results.js';
import { TargetSeries } from './target-series.js';
import { renderRegistry } from './render.js';
import { Pacer } from './yield.js';

/** What a scrape reads from the running system (set by system.ts once the actors run). */
export interface MetricSources {
  writer: { stats: Readonly<WriterStats>; waitingMs(): number };
  /** Enabled targets in the database; may throw (database down), then the gauge is left out. */
  countEnabled(): Promise<number>;
  /** Each target's failure run (the latest-result map, its one owner): `up` and consecutive failures. */
  latest: Pick<LatestResults, 'run'>;
}

/** Metric settings (src/config.ts). */
export interface MetricOptions {
  /** Export the per-target series (`NETWATCH_METRICS_PER_TARGET`, default true). */
  perTarget: boolean;
}

/** Schedule-lag buckets, s: on time is < 50 ms (health's on-time share), late slots up to 10 s. */
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Flush-duration buckets, s (a flush of 1,000 rows takes a few ms; MySQL statements time out at 5 s). */
const FLUSH_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** NetWatch's metrics: the registry to expose and the hooks that feed it. */
export class Metrics {
  readonly registry = new Registry();
  private sources: MetricSources | null = null;
  private running = 0;
  private readonly probes: Counter<'outcome'>;
  private readonly lag: Histogram;
  private readonly flush: Histogram;
  private readonly dbErrors: Counter<'source'>;
  private readonly perTarget: TargetSeries | null;

  constructor(opts: MetricOptions) {
    const registers = [this.registry];
    const self = this;
    collectDefaultMetrics({ register: this.registry });
    this.probes = new Counter({ name: 'netwatch_probes_total', help: 'Probes since NetWatch started, by outcome.', labelNames: ['outcome'], registers });
    for (const outcome of OUTCOMES) this.probes.inc({ outcome }, 0);
    this.lag = new Histogram({ name: 'netwatch_schedule_lag_seconds', help: 'Probe start minus its scheduled slot, seconds.', buckets: LAG_BUCKETS, registers });
    this.flush = new Histogram({
      name: 'netwatch_writer_flush_duration_seconds',
      help: 'Time one flush (storing a batch of results, or failing to) took, seconds.',
      buckets: FLUSH_BUCKETS,
      registers,
    });
    this.dbErrors = new Counter({ name: 'netwatch_database_errors_total', help: 'Database errors: failed writer flushes and API requests that met one.', labelNames: ['source'], registers });
    for (const source of ['writer', 'api']) this.dbErrors.inc({ source }, 0);
    const writer = () => self.sources?.writer;
    new Gauge({
      name: 'netwatch_writer_results_buffered',
      help: 'Results waiting in memory to be stored.',
      registers,
      collect() {
        this.set(writer()?.stats.buffered ?? 0);
      },
    });
    new Gauge({
      name: 'netwatch_writer_waiting_seconds',
      help: 'How long results have waited without a successful flush, seconds (0 when none wait).',
      registers,
      collect() {
        this.set((writer()?.waitingMs() ?? 0) / 1000);
      },
    });
    const fromStats = (name: string, help: string, key: 'written' | 'dropped') =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(writer()?.stats[key] ?? 0);
        },
      });
    fromStats('netwatch_writer_results_written_total', 'Results stored in the database.', 'written');
    fromStats('netwatch_writer_results_dropped_total', 'Oldest results dropped because the buffer was full.', 'dropped');
    new Gauge({
      name: 'netwatch_targets_enabled',
      help: 'Enabled targets in the database.',
      registers,
      async collect() {
        this.reset();
        try {
          if (self.sources) this.set(await self.sources.countEnabled());
        } catch {
          self.dbError('api');
        }
      },
    });
    new Gauge({
      name: 'netwatch_targets_running',
      help: 'Target actors the supervisor runs.',
      registers,
      collect() {
        this.set(self.running);
      },
    });
    this.perTarget = opts.perTarget ? new TargetSeries(this.registry, (id) => self.sources?.latest.run(id)) : null;
  }

  /** The scrape's text, Prometheus format 0.0.4, rendered without holding the event loop (render.ts). */
  async render(): Promise<string> {
    const pacer = new Pacer();
    if (!this.perTarget) return renderRegistry(this.registry, pacer);
    return this.perTarget.during(pacer, () => renderRegistry(this.registry, pacer));
  }

  /** Connects the scrape to the running system. */
  bind(sources: MetricSources): void {
    this.sources = sources;
  }

  /** A probe result on its way to the writer. */
  onResult(r: ProbeResult): void {
    this.probes.inc({ outcome: r.outcome });
    this.perTarget?.record(r);
  }

  /** One probe's schedule lag, ms. */
  onLag(lagMs: number): void {
    this.lag.observe(Math.max(0, lagMs) / 1000);
  }

  /** One writer flush ended after `ms`; a failure counts as a database error too. */
  onFlush(ms: number, ok: boolean): void {
    this.flush.observe(ms / 1000);
    if (!ok) this.dbError('writer');
  }

  /** A database error met by `source`. */
  dbError(source: 'writer' | 'api'): void {
    this.dbErrors.inc({ source });
  }

  /** The supervisor's reconcile: the enabled targets it runs an actor for. */
  onReconciled(enabled: readonly Target[]): void {
    this.running = enabled.length;
    this.perTarget?.setTargets(enabled);
  }
}
