/**
 * Per-target series, in the style of blackbox_exporter's `probe_success` and Gatus:
 * - `netwatch_target_up{target_id,name,host,port}`: 1 when the target's last measured probe was
 *   `success`, else 0 (a `local_error` measures nothing about the target and leaves it unchanged);
 * - `netwatch_target_connect_seconds{target_id}`: connect time of the last probe that completed
 *   the handshake, s;
 * - `netwatch_target_consecutive_failures{target_id}`: measured probes in a row that failed
 *   (0 after a success), for "down for N probes" alerts whatever the interval or scrape period;
 * - `netwatch_target_probes_total{target_id,outcome}`: probes since NetWatch started, one series
 *   per outcome in {@link OUTCOMES}.
 * So an enabled target has {@link SERIES_PER_TARGET} series (one fewer until it has connected once).
 * Only enabled targets are exported: the set and labels come from the supervisor's last reconcile
 * (every 5 s and after every API change); series of deleted or disabled targets are removed.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { OUTCOMES, UNMEASURED_OUTCOMES, type Outcome, type ProbeResult, type Target } from '../domain/types.js';

/** Series per enabled target once it has connected at least once (README "Metrics"). */
export const SERIES_PER_TARGET = 3 + OUTCOMES.length;

interface Last {
  up: 0 | 1 | null;
  connectS: number | null;
  failuresInARow: number;
  counts: Map<Outcome, number>;
}

const unmeasured = new Set<Outcome>(UNMEASURED_OUTCOMES);

/** Per-target state and its series in `registry`. */
export class TargetSeries {
  private readonly last = new Map<number, Last>();
  private targets: readonly Target[] = [];

  constructor(registry: Registry) {
    const self = this;
    new Gauge({
      name: 'netwatch_target_up',
      help: 'Whether the last measured probe of the target succeeded (1) or failed (0).',
      labelNames: ['target_id', 'name', 'host', 'port'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const t of self.targets) {
          const up = self.last.get(t.id)?.up;
          if (up !== null && up !== undefined) this.set({ target_id: String(t.id), name: t.name, host: t.host, port: String(t.port) }, up);
        }
      },
    });
    new Gauge({
      name: 'netwatch_target_connect_seconds',
      help: 'Connect time (SYN to handshake complete) of the last probe that connected, seconds.',
      labelNames: ['target_id'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const t of self.targets) {
          const s = self.last.get(t.id)?.connectS;
          if (s !== null && s !== undefined) this.set({ target_id: String(t.id) }, s);
        }
      },
    });
    new Gauge({
      name: 'netwatch_target_consecutive_failures',
      help: 'Measured probes in a row that failed (0 after a success).',
      labelNames: ['target_id'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const t of self.targets) this.set({ target_id: String(t.id) }, self.last.get(t.id)?.failuresInARow ?? 0);
      },
    });
    new Counter({
      name: 'netwatch_target_probes_total',
      help: 'Probes of the target since NetWatch started, by outcome.',
      labelNames: ['target_id', 'outcome'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const t of self.targets) {
          const counts = self.last.get(t.id)?.counts;
          for (const outcome of OUTCOMES) this.inc({ target_id: String(t.id), outcome }, counts?.get(outcome) ?? 0);
        }
      },
    });
  }

  /** Notes one probe result. */
  record(r: ProbeResult): void {
    let l = this.last.get(r.targetId);
    if (!l) this.last.set(r.targetId, (l = { up: null, connectS: null, failuresInARow: 0, counts: new Map() }));
    l.counts.set(r.outcome, (l.counts.get(r.outcome) ?? 0) + 1);
    if (r.connectMs !== null) l.connectS = r.connectMs / 1000;
    if (unmeasured.has(r.outcome)) return;
    l.up = r.outcome === 'success' ? 1 : 0;
    l.failuresInARow = r.outcome === 'success' ? 0 : l.failuresInARow + 1;
  }

  /** Sets the exported targets (the enabled ones) and forgets the state of any other. */
  setTargets(enabled: readonly Target[]): void {
    this.targets = enabled;
    const ids = new Set(enabled.map((t) => t.id));
    for (const id of this.last.keys()) if (!ids.has(id)) this.last.delete(id);
  }
}
