/**
 * Per-target series, in the style of blackbox_exporter's `probe_success` and Gatus:
 * - `netwatch_target_up{target_id,name,host,port}`: 1 when the target's last measured probe was
 *   `success`, else 0 (a `local_error` measures nothing about the target and leaves it unchanged);
 * - `netwatch_target_connect_seconds{target_id}`: connect time of the last probe that completed
 *   the handshake, s;
 * - `netwatch_target_consecutive_failures{target_id}`: measured probes in a row that failed
 *   (0 after a success), for "down for N probes" alerts whatever the interval or scrape period;
 *   it and `up` come from the latest-result map (actors/latest-results.ts), which continues them
 *   from the store after a restart;
 * - `netwatch_target_probes_total{target_id,outcome}`: probes since NetWatch started, one series
 *   per outcome in {@link OUTCOMES}.
 * So an enabled target has {@link SERIES_PER_TARGET} series (one fewer until it has connected once).
 * Only enabled targets are exported: the set and labels come from the supervisor's last reconcile
 * (every 5 s and after every API change); series of deleted or disabled targets, and `up` under a
 * target's old name, host or port, are removed.
 *
 * Cost (a scrape must not delay probes, issue 9 soak): the series live in prom-client from one
 * scrape to the next. A probe only bumps plain numbers here; before a scrape is rendered,
 * {@link TargetSeries.update} hands prom-client what changed since the last one, with a turn of
 * the event loop whenever a few ms of work went by (yield.ts).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { OUTCOMES, type ProbeResult, type Target } from '../domain/types.js';
import type { FailureRun } from '../actors/latest-results.js';
import { Pacer } from './yield.js';

/** Series per enabled target once it has connected at least once (README "Metrics"). */
export const SERIES_PER_TARGET = 3 + OUTCOMES.length;

const OUTCOME_INDEX = new Map(OUTCOMES.map((o, i) => [o, i]));

type UpLabels = { target_id: string; name: string; host: string; port: string };

/** One exported target: what it is now, and what prom-client was last given (labels cached). */
interface Entry {
  id: { target_id: string };
  byOutcome: { target_id: string; outcome: string }[];
  counts: number[];
  exportedCounts: number[];
  connectS: number | null;
  exportedConnectS: number | null;
  up: UpLabels | null;
  exportedUp: number | null;
  exportedFailures: number;
  /** Its series exist in prom-client (it is in the exported set). */
  registered: boolean;
}

/** Per-target state and its series in `registry`. */
export class TargetSeries {
  private readonly entries = new Map<number, Entry>();
  private targets: readonly Target[] = [];
  private pending: Promise<void> | null = null;
  /** Renders under way that updated first ({@link TargetSeries.during}): the families' collect has nothing to do. */
  private rendering = 0;
  private readonly up: Gauge;
  private readonly connect: Gauge;
  private readonly failures: Gauge;
  private readonly probes: Counter;

  /** @param runOf each target's failure run (the latest-result map), or undefined before the actors run */
  constructor(
    registry: Registry,
    private readonly runOf: (targetId: number) => Readonly<FailureRun> | undefined,
  ) {
    const registers = [registry];
    const self = this;
    this.up = new Gauge({
      name: 'netwatch_target_up',
      help: 'Whether the last measured probe of the target succeeded (1) or failed (0).',
      labelNames: ['target_id', 'name', 'host', 'port'] as const,
      registers,
      collect: () => self.update(),
    });
    // each family waits for the same update, however the registry renders them (in turn or all at once)
    this.connect = new Gauge({
      name: 'netwatch_target_connect_seconds',
      help: 'Connect time (SYN to handshake complete) of the last probe that connected, seconds.',
      labelNames: ['target_id'] as const,
      registers,
      collect: () => self.update(),
    });
    this.failures = new Gauge({
      name: 'netwatch_target_consecutive_failures',
      help: 'Measured probes in a row that failed (0 after a success).',
      labelNames: ['target_id'] as const,
      registers,
      collect: () => self.update(),
    });
    this.probes = new Counter({
      name: 'netwatch_target_probes_total',
      help: 'Probes of the target since NetWatch started, by outcome.',
      labelNames: ['target_id', 'outcome'] as const,
      registers,
      collect: () => self.update(),
    });
  }

  /** Notes one probe result (plain numbers only; prom-client hears of it at the next scrape). */
  record(r: ProbeResult): void {
    const e = this.entries.get(r.targetId) ?? this.entry(r.targetId); // exported once the reconcile lists it
    e.counts[OUTCOME_INDEX.get(r.outcome)!]!++;
    if (r.connectMs !== null) e.connectS = r.connectMs / 1000;
  }

  /** Sets the exported targets (the enabled ones); series and state of any other target are removed. */
  setTargets(enabled: readonly Target[]): void {
    this.targets = enabled;
    const ids = new Set(enabled.map((t) => t.id));
    for (const [id, e] of this.entries)
      if (!ids.has(id)) {
        if (e.registered) this.drop(e);
        this.entries.delete(id);
      }
    for (const t of enabled) {
      const e = this.entries.get(t.id) ?? this.entry(t.id);
      if (e.registered) continue;
      e.registered = true;
      for (const labels of e.byOutcome) this.probes.inc(labels, 0);
    }
  }

  /** A new target's state, with its label objects made once. */
  private entry(id: number): Entry {
    const target_id = String(id);
    const e: Entry = {
      id: { target_id },
      byOutcome: OUTCOMES.map((outcome) => ({ target_id, outcome })),
      counts: OUTCOMES.map(() => 0),
      exportedCounts: OUTCOMES.map(() => 0),
      connectS: null,
      exportedConnectS: null,
      up: null,
      exportedUp: null,
      exportedFailures: -1,
      registered: false,
    };
    this.entries.set(id, e);
    return e;
  }

  /**
   * Brings prom-client up to date with every exported target, paced by `pacer` (one run at once;
   * nothing to do while a render that updated first is under way).
   */
  update(pacer = new Pacer()): Promise<void> {
    if (this.rendering > 0 && !this.pending) return Promise.resolve();
    this.pending ??= this.updateAll(pacer).finally(() => (this.pending = null));
    return this.pending;
  }

  /** Updates once, then runs `render` (the families' collect skip their own update meanwhile). */
  async during<T>(pacer: Pacer, render: () => Promise<T>): Promise<T> {
    await this.update(pacer);
    this.rendering++;
    try {
      return await render();
    } finally {
      this.rendering--;
    }
  }

  private async updateAll(pacer: Pacer): Promise<void> {
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const e = this.entries.get(t.id);
      if (e?.registered) this.updateOne(t, e);
      if (i % 50 === 49) await pacer.pace();
    }
  }

  private updateOne(t: Target, e: Entry): void {
    for (let k = 0; k < e.counts.length; k++) {
      const delta = e.counts[k]! - e.exportedCounts[k]!;
      if (delta > 0) this.probes.inc(e.byOutcome[k]!, delta);
      e.exportedCounts[k] = e.counts[k]!;
    }
    if (e.connectS !== e.exportedConnectS && e.connectS !== null) this.connect.set(e.id, (e.exportedConnectS = e.connectS));
    const run = this.runOf(t.id);
    const failures = run?.failuresInARow ?? 0;
    if (failures !== e.exportedFailures) this.failures.set(e.id, (e.exportedFailures = failures));
    const up = run?.measured ? (failures === 0 ? 1 : 0) : null;
    const port = String(t.port);
    if (e.up && (e.up.name !== t.name || e.up.host !== t.host || e.up.port !== port)) {
      this.up.remove(e.up); // renamed or moved: the old labels go
      e.up = null;
    }
    if (up === null) return;
    if (!e.up) {
      e.up = { target_id: e.id.target_id, name: t.name, host: t.host, port };
      e.exportedUp = null;
    }
    if (up !== e.exportedUp) this.up.set(e.up, (e.exportedUp = up));
  }

  /** Removes every series of a target no longer exported. */
  private drop(e: Entry): void {
    if (e.up) this.up.remove(e.up);
    this.connect.remove(e.id);
    this.failures.remove(e.id);
    for (const labels of e.byOutcome) this.probes.remove(labels);
  }
}
