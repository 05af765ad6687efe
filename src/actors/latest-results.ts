/**
 * The newest result of each target, for the dashboard: the one owner of that map.
 *
 * Probe results are recorded as they come from the probes (system.ts), before the writer queues
 * them for storage, so the map does not depend on the store being up. After a start, targets with
 * no result in memory yet are seeded from the store once per process ({@link LatestResults.seed});
 * from then on every new result reaches this map first.
 */
import type { ProbeResult } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { latestResults } from '../store/results.js';

/** Each target's newest result (by `startedAt`, UTC epoch ms), in memory. */
export class LatestResults {
  private readonly byTarget = new Map<number, ProbeResult>();
  /** Targets already looked up in the store (found or not), so each is read at most once. */
  private readonly seeded = new Set<number>();

  /** The newest result of target `targetId`, or undefined when none is known. */
  get(targetId: number): ProbeResult | undefined {
    return this.byTarget.get(targetId);
  }

  /** Every known newest result, by target id (a read-only view; do not keep it across awaits). */
  snapshot(): ReadonlyMap<number, ProbeResult> {
    return this.byTarget;
  }

  /** Records a probe result; an older one than the one held (by `startedAt`) is ignored. */
  record(r: ProbeResult): void {
    const prev = this.byTarget.get(r.targetId);
    if (!prev || prev.startedAt <= r.startedAt) this.byTarget.set(r.targetId, r);
  }

  /**
   * Cold start: reads from `db` the newest stored result of each of `targetIds` that has no result
   * in memory and was not looked up before in this process, and records what it finds (a newer
   * result recorded meanwhile is kept). Throws what the store throws; nothing is marked looked up then.
   */
  async seed(db: Db, targetIds: readonly number[]): Promise<void> {
    const missing = targetIds.filter((id) => !this.byTarget.has(id) && !this.seeded.has(id));
    if (missing.length === 0) return;
    const stored = await latestResults(db, missing);
    for (const id of missing) this.seeded.add(id);
    for (const r of stored.values()) this.record(r);
  }

  /** Forgets a deleted target's result (and that it was looked up). */
  forget(targetId: number): void {
    this.byTarget.delete(targetId);
    this.seeded.delete(targetId);
  }
}
