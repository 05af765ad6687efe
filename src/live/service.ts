/**
 * The live dashboard's server side (issue 12 §4), one per app: the hub, the target list it
 * follows (re-read every {@link TARGETS_EVERY_MS}; a change sends every client `resync`), and
 * snapshots. Started by the first snapshot or stream request.
 */
import type { Target } from '../domain/types.js';
import type { LiveSnapshot } from '../domain/live-frame.js';
import type { AppDeps } from '../http/deps.js';
import { listTargets } from '../store/targets.js';
import { LiveHub, type HubOptions } from './hub.js';
import { latestResultsOf } from './latest.js';
import { buildSnapshot } from './snapshot.js';

/** How often the target list is re-read for changes made elsewhere (another process, the config file), ms. */
export const TARGETS_EVERY_MS = 5000;

/** Hub, target list and snapshots of one app. */
export class LiveService {
  readonly hub: LiveHub;
  private readonly latest;
  /** Ids and update times of the targets last read; null before the first read. */
  private fingerprint: string | null = null;
  private started: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: AppDeps, opts: Partial<HubOptions> = {}) {
    this.latest = latestResultsOf(deps);
    this.hub = new LiveHub({ latest: this.latest, state: (id) => deps.actors?.states?.get(id), now: deps.now }, opts);
  }

  /** Re-reads the targets; a changed list (ids or any edit) is given to the hub, and clients resync. */
  async targets(): Promise<Target[]> {
    const list = await listTargets(this.deps.db);
    const fp = list.map((t) => `${t.id}:${t.updatedAt}`).join(',');
    if (fp !== this.fingerprint) {
      const had = this.fingerprint !== null;
      this.fingerprint = fp;
      this.hub.setTargets(list);
      if (had) this.hub.resyncAll('targets');
    }
    return list;
  }

  /** Loads the targets and starts the hub and the target re-read, once. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.targets();
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
    return buildSnapshot(this.deps, this.latest, list, cursor, location);
  }

  /** Stops the timers and ends every stream. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.hub.stop();
  }
}
