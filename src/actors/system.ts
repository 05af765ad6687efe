/**
 * Starts NetWatch's actor system: writer, supervisor (with its target children), purgers and the
 * clock watcher (a wall-clock step realigns every target, see clock.ts), and stops it in order
 * on shutdown (stop probing, flush the writer).
 */
import { dispatch, start, stop } from 'nact';
import type { Logger } from 'pino';
import type { ProbeResult, Target } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { startBudget } from './fd-budget.js';
import { watchClock, type WallClock } from './clock.js';
import { LagStats } from './lag-stats.js';
import { LocalFaults } from './local-faults.js';
import { StallWatch } from './stall.js';
import { spawnPurgers } from './purge.js';
import { spawnSupervisor } from './supervisor.js';
import { spawnTargetStates, type TargetStates } from './target-states.js';
import { spawnDeliveries, type DeliveryOptions } from './delivery.js';
import { secretBox } from '../notify/secret-box.js';
import { spawnWriter, WRITER_DEFAULTS, type WriterOptions } from './writer.js';
import { LatestResults } from './latest-results.js';
import type { Metrics } from '../metrics/metrics.js';
import { countEnabledTargets } from '../store/targets.js';
import type { NodeCoordinator } from '../nodes/coordinator.js';
import { NODE_FLUSH_EVERY_MS } from '../domain/nodes.js';

/** Handles the HTTP layer and main.ts use to talk to the actors. */
export interface Actors {
  /** Asks the supervisor to reconcile now; resolves once it has. */
  reconcile(): Promise<void>;
  /** Runs a history + session purge now; resolves with rows deleted. */
  purgeNow(now?: number): Promise<number>;
  writer: ReturnType<typeof spawnWriter>;
  /** Each target's newest result, for the dashboard (the one owner of that map). */
  latest: LatestResults;
  lag: LagStats;
  /** NetWatch's own faults while probing (local errors, the descriptor budget), for health. */
  local: LocalFaults;
  /** Every target's up/down/unknown state, derived from results (issue 11). */
  states: TargetStates;
  /** Stops probing, then stores buffered results until `deadlineMs` from now. */
  shutdown(deadlineMs: number): Promise<void>;
}

/** Options for {@link startActors}; defaults are the user's spec. */
export interface ActorOptions {
  writer?: WriterOptions;
  reconcileEveryMs?: number;
  purgeEveryMs?: number;
  /** Descriptor limit to budget probes against (tests); default: this process's RLIMIT_NOFILE. */
  descriptorLimit?: number;
  /** The wall clock (default `Date.now`); tests pass one they can step. */
  now?: WallClock;
  /** Prometheus metrics to feed (src/metrics/), when /metrics is on. */
  metrics?: Metrics | undefined;
  /**
   * Notifications of state changes (issue 11): the session secret (channel secrets are sealed with
   * a key derived from it), NETWATCH_PUBLIC_URL for links, retry settings. None: no notifications.
   */
  notify?: { sessionSecret: string; publicUrl: string | null; delivery?: DeliveryOptions };
  /** How long audit entries are kept, ms (config NETWATCH_AUDIT_RETENTION; default one year). */
  auditRetentionMs?: number;
  /** This node (issue 10): picks the targets it probes and stamps results with its name and location; none = every target, unstamped. */
  node?: NodeCoordinator;
}

/** Starts the actor system against an open, migrated store. */
export function startActors(db: Db, log: Logger, opts: ActorOptions = {}): Actors {
  const system = start();
  const metrics = opts.metrics;
  const lag = new LagStats(metrics && ((ms) => metrics.onLag(ms)));
  const node = opts.node;
  // a node sharing its database flushes every 100 ms: what waits unstored dies with a crash (issue 10)
  const writerOpts = opts.writer ?? (node && !node.single ? { ...WRITER_DEFAULTS, flushEveryMs: NODE_FLUSH_EVERY_MS } : WRITER_DEFAULTS);
  const writer = spawnWriter(system, db.forWriter(), log.child({ actor: 'writer' }), writerOpts, metrics && ((ms, ok) => metrics.onFlush(ms, ok)));
  const latest = new LatestResults();
  metrics?.bind({ writer, countEnabled: () => countEnabledTargets(db), latest });
  const now = opts.now ?? Date.now;
  const { budget, checkNeed } = startBudget(log, opts.descriptorLimit);
  const stalls = new StallWatch(now, (stallMs) =>
    log.warn({ stallMs }, 'NetWatch was stalled (process or VM paused, or the event loop blocked); probes due then are judged after it resumed, not as timeouts'),
  ).start();
  const local = new LocalFaults(budget, stalls);
  const states = spawnTargetStates(system, db, log.child({ actor: 'target-states' }));
  const n = opts.notify;
  const deliveries = n && spawnDeliveries(system, db, secretBox(n.sessionSecret), log.child({ actor: 'deliveries' }), n.publicUrl, now, n.delivery);
  if (deliveries) states.onChange = deliveries.notify;
  const submit = (probed: ProbeResult) => {
    // this node's results carry its name and location (issue 10)
    const r = node ? { ...probed, location: node.location, node: node.name } : probed;
    local.record(r);
    latest.record(r);
    states.record(r);
    metrics?.onResult(r);
    writer.submit(r);
  };
  const onReconciled = (enabled: readonly Target[]) => {
    checkNeed(enabled);
    metrics?.onReconciled(enabled);
    // continue each target's failure run from the store after a start (once per target per process)
    if (metrics)
      latest
        .seed(
          db,
          enabled.map((t) => t.id),
        )
        .catch((err: unknown) => log.warn({ err }, 'reading stored results for /metrics failed; will retry at the next reconcile'));
    void states.configure(enabled);
  };
  const supervisor = spawnSupervisor(system, db, {
    writer: { submit },
    lag,
    budget,
    log: log.child({ actor: 'target' }),
    onReconciled,
    now,
    stalls,
    ...(node && { select: (t) => node.select(t) }),
  });
  node?.start(
    () => dispatch(supervisor, { kind: 'reconcile' }),
    () => {
      const s = writer.stats;
      return { lagP99Ms: lag.summary(now()).p99, writerBuffered: s.buffered, writerDropped: s.dropped };
    },
  );
  const purgers = spawnPurgers(system, db, log.child({ actor: 'purge' }), opts.purgeEveryMs, now, opts.auditRetentionMs);
  const stopWatch = watchClock(now, (stepMs) => dispatch(supervisor, { kind: 'clockStep', stepMs }));
  const reconcileTimer = setInterval(() => dispatch(supervisor, { kind: 'reconcile' }), opts.reconcileEveryMs ?? 5000);

  return {
    reconcile: () => new Promise((resolve) => dispatch(supervisor, { kind: 'reconcile', done: () => resolve() })),
    purgeNow: (now) => new Promise((resolve, reject) => dispatch(purgers.history, { kind: 'purge', ...(now !== undefined && { now }), done: (n, err) => (err ? reject(err) : resolve(n)) })),
    writer,
    latest,
    lag,
    local,
    states,
    async shutdown(deadlineMs) {
      // a clean stop hands this node's targets over at a set moment, probing until then
      await node?.leave();
      const deadline = performance.now() + deadlineMs;
      clearInterval(reconcileTimer);
      stopWatch();
      stalls.stop();
      purgers.stopTimers();
      deliveries?.stop();
      stop(supervisor);
      // probes already out finish within their timeout (≤ 60 s); wait briefly for short ones
      await new Promise((r) => setTimeout(r, Math.min(1000, deadlineMs / 4)));
      await writer.drain(deadline);
      stop(system);
    },
  };
}
