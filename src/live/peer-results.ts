/**
 * The other nodes' results for this node's live dashboard (issue 10: several nodes share the
 * targets; issue 12 §4: the dashboard is live). A node's probes reach its latest-result map
 * directly; what the other nodes probe reaches it only through the shared database. While the
 * live dashboard runs on a MySQL/MariaDB store with several nodes, this follower reads the rows
 * the other nodes stored since its last read (by `results.id`, indexed) once a second and records
 * them in the map, so the hub's next delta carries them like local results.
 *
 * Ids are given at insert and become visible at commit, so a writer's rows can appear after rows
 * with higher ids that another writer committed first. Each read therefore starts from the highest
 * id seen {@link LOOKBACK_MS} earlier, not the highest seen: rows read twice change nothing (the
 * map keeps the newest by start time), and a writer's batch commits well within that window.
 */
import type { Logger } from 'pino';
import type { ProbeResult } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { maxResultId, resultsAfter } from '../store/results.js';

/** Read period, ms (the hub's delta period). */
export const PEER_EVERY_MS = 1000;
/** How far back each read starts, ms of watermarks (the writer flushes every 100 ms). */
export const LOOKBACK_MS = 2000;
/** Rows read at most per query; more are read by the next query at once. */
const PAGE = 20_000;

/** Follows the rows other nodes store. */
export class PeerResults {
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Highest id seen, with when it was seen (UTC epoch ms), oldest first; the first is where reads start. */
  private marks: { at: number; id: number }[] = [];
  private busy = false;

  constructor(
    private readonly db: Db,
    /** This node's name: its own rows are recorded by its probes already. */
    private readonly self: string,
    private readonly record: (r: ProbeResult) => void,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts following from the newest stored row (older ones are the snapshot's seed). @throws store errors */
  async start(): Promise<void> {
    if (this.timer) return;
    this.marks = [{ at: this.now(), id: await maxResultId(this.db) }];
    this.timer = setInterval(() => void this.poll(), PEER_EVERY_MS);
    this.timer.unref();
  }

  /** One read: every row past the start mark, page by page; a failed read is retried next period. */
  async poll(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    let n = 0;
    try {
      const now = this.now();
      while (this.marks.length > 1 && this.marks[1]!.at <= now - LOOKBACK_MS) this.marks.shift();
      let from = this.marks[0]!.id;
      let top = this.marks[this.marks.length - 1]!.id;
      for (;;) {
        const rows = await resultsAfter(this.db, from, this.self, PAGE);
        for (const { id, result } of rows) {
          this.record(result);
          if (id > top) top = id;
        }
        n += rows.length;
        if (rows.length < PAGE) break;
        from = rows[rows.length - 1]!.id;
      }
      this.marks.push({ at: now, id: top });
    } catch (err) {
      this.log.warn({ err }, 'live dashboard: reading other nodes’ results failed');
    } finally {
      this.busy = false;
    }
    return n;
  }

  /** Stops following. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
