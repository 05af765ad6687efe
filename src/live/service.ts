/**
 * The live dashboard's server side (issue 12 §4), one per app: the hub, the target list it
 * follows (re-read every {@link TARGETS_EVERY_MS}; a change sends every client `resync`), the
 * other nodes' results when several share the store (peer-results.ts), and snapshots. Started by the first snapshot or stream request.
 */
import type { Target } from '../domain/types.js';
import type { LiveSnapshot } from '../domain/live-frame.js';
import type { AppDeps } from '../http/deps.js';
import { listTargets, targetsVersion } from '../store/targets.js';
import { successCountsSince, type SuccessCount } from '../store/summary.js';
import { LiveHub, type HubOptions } from './hub.js';
import { latestResultsOf } from './latest.js';
import { PeerResults } from './peer-results.js';
import { buildSnapshot } from './snapshot.js';

/** How often the target list is checked for changes made elsewhere (another process, the config file), ms. */
export const TARGETS_EVERY_MS = 5000;
/** How long the 24 h success counts are reused, ms (a 24 h ratio moves little in a minute). */
export const DAY_COUNTS_MS = 60_000;
const DAY_MS = 86_400_000;

/** Hub, target list and snapshots of one app. */
export class LiveService {
  readonly hub: LiveHub;
  private readonly latest;
  /** Version of the targets last read ({@link targetsVersion}); null before the first read. */
  private fingerprint: string | null = null;
  private list: Target[] = [];
  private dayCounts: { at: number; counts: Map<number, SuccessCount> } | null = null;
  private started: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The other nodes' results, followed while the dashboard runs on a store shared by several nodes. */
  private peers: PeerResults | null = null;
  /** Live streams holding a slot now (at most `config.maxEventStreams`); owned here alone. */
  private streams = 0;

  constructor(
    private readonly deps: AppDeps,
    opts: Partial<HubOptions> = {},
  ) {
    this.latest = latestResultsOf(deps);
    this.hub = new LiveHub({ latest: this.latest, state: (id) => deps.actors?.states?.get(id), now: deps.now }, opts);
  }

  /**
   * The targets, re-read only when their version changed; a changed list is given to the hub,
   * and clients resync.
   */
  async targets(): Promise<Target[]> {
    const fp = await targetsVersion(this.deps.db);
    if (fp !== this.fingerprint) {
      this.list = await listTargets(this.deps.db);
      const had = this.fingerprint !== null;
      this.fingerprint = fp;
      this.hub.setTargets(this.list);
      if (had) this.hub.resyncAll('targets');
    }
    return this.list;
  }

  /** Successes and attempts of the last 24–25 h per target, reused for {@link DAY_COUNTS_MS}; a copy (the caller may change it). */
  private async counts(now: number): Promise<Map<number, SuccessCount>> {
    if (!this.dayCounts || now - this.dayCounts.at > DAY_COUNTS_MS || now < this.dayCounts.at) {
      this.dayCounts = { at: now, counts: await successCountsSince(this.deps.db, now - DAY_MS) };
    }
    return new Map([...this.dayCounts.counts].map(([id, c]) => [id, { ...c }]));
  }

  /** Loads the targets and starts the hub and the target re-read, once. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.targets();
      const node = this.deps.node;
      if (node && !node.single) {
        this.peers = new PeerResults(this.deps.db, node.name, (r) => this.latest.record(r), this.deps.log, this.deps.now);
        await this.peers.start();
      }
      this.hub.start();
      this.timer = setInterval(() => void this.targets().catch((err: unknown) => this.deps.log.warn({ err }, 'live dashboard: reading targets failed')), TARGETS_EVERY_MS);
      this.timer.unref();
    })().catch((err: unknown) => {
      this.started = null;
      throw err;
    });
    return this.started;
  }

  /** The compact list for `location` (undefined: every target). @throws store errors */
  async snapshot(location?: string): Promise<LiveSnapshot> {
    await this.start();
    const cursor = this.hub.cursor();
    const list = await this.targets();
    return buildSnapshot(this.deps, this.latest, list, cursor, await this.counts(this.deps.now()), location);
  }

  /**
   * Takes one of the `config.maxEventStreams` stream slots (`NETWATCH_MAX_EVENT_STREAMS`).
   * @returns the function that gives it back (idempotent), or null when all are taken
   */
  takeStreamSlot(): (() => void) | null {
    if (this.streams >= this.deps.config.maxEventStreams) return null;
    this.streams++;
    let held = true;
    return () => {
      if (held) this.streams--;
      held = false;
    };
  }

  /** Streams holding a slot now. */
  get openStreams(): number {
    return this.streams;
  }

  /** Stops the timers and ends every stream. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.peers?.stop();
    this.hub.stop();
  }
}
