/**
 * The newest result of each target, for the dashboard and /metrics: the one owner of that map, and
 * of the run of failures that ends in it (`netwatch_target_consecutive_failures`, target_up).
 *
 * Probe results are recorded as they come from the probes (system.ts), before the writer queues
 * them for storage, so the map does not depend on the store being up. After a start, targets are
 * seeded from the store once per process ({@link LatestResults.seed}): the newest stored result
 * (kept unless a newer one was recorded meanwhile) and the failures stored in a row before the
 * first result this process recorded, so "the last N probes failed" carries across a restart.
 */
import { UNMEASURED_OUTCOMES, type Outcome, type ProbeResult } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { latestRuns, type StoredRun } from '../store/results.js';

/** Targets read from the store per turn of the event loop. */
const SEED_CHUNK = 100;

/** A target's run of measured results (`local_error` measures nothing: it neither fails nor ends a run). */
export interface FailureRun {
  /** Measured probes in a row that failed, newest last (0 after a success). */
  failuresInARow: number;
  /** Whether any measured result is known (false: nothing to say about the target yet). */
  measured: boolean;
}

interface Run extends FailureRun {
  /** Start (UTC epoch ms) of the first result recorded by this process; the seed counts only older stored ones. */
  firstAt: number;
  /** A measured success was recorded in this process: what is stored cannot change the run. */
  complete: boolean;
}

const unmeasured = new Set<Outcome>(UNMEASURED_OUTCOMES);

/** Each target's newest result (by `startedAt`, UTC epoch ms) and failure run, in memory. */
export class LatestResults {
  private readonly byTarget = new Map<number, ProbeResult>();
  private readonly runs = new Map<number, Run>();
  /** Targets already looked up in the store (found or not), so each is read at most once. */
  private readonly seeded = new Set<number>();

  /** The newest result of target `targetId`, or undefined when none is known. */
  get(targetId: number): ProbeResult | undefined {
    return this.byTarget.get(targetId);
  }

  /** Target `targetId`'s failure run, or undefined when no result is known (a read-only view). */
  run(targetId: number): Readonly<FailureRun> | undefined {
    return this.runs.get(targetId);
  }

  /** Every known newest result, by target id (a read-only view; do not keep it across awaits). */
  snapshot(): ReadonlyMap<number, ProbeResult> {
    return this.byTarget;
  }

  /** Records a probe result; an older one than the one held (by `startedAt`) is ignored. */
  record(r: ProbeResult): void {
    const prev = this.byTarget.get(r.targetId);
    if (prev && prev.startedAt > r.startedAt) return;
    this.byTarget.set(r.targetId, r);
    let run = this.runs.get(r.targetId);
    if (!run) this.runs.set(r.targetId, (run = { failuresInARow: 0, measured: false, firstAt: r.startedAt, complete: false }));
    if (unmeasured.has(r.outcome)) return;
    run.measured = true;
    if (r.outcome === 'success') Object.assign(run, { failuresInARow: 0, complete: true });
    else run.failuresInARow++;
  }

  /**
   * Cold start: reads from `db`, for each of `targetIds` not looked up before in this process, its
   * newest stored result and the measured failures stored in a row before this process's first
   * result of it (up to the newest stored success; at most RUN_READ_LIMIT, store/results.ts), and
   * merges them in (a newer result recorded meanwhile is kept). Throws what the store throws;
   * the targets of the failed chunk and later ones are not marked looked up then.
   */
  async seed(db: Db, targetIds: readonly number[]): Promise<void> {
    const missing = targetIds.filter((id) => !this.seeded.has(id));
    // SQLite answers synchronously: a turn of the event loop every SEED_CHUNK targets keeps probes on time
    for (let i = 0; i < missing.length; i += SEED_CHUNK) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      const ids = missing.slice(i, i + SEED_CHUNK);
      this.merge(await latestRuns(db, ids));
      for (const id of ids) this.seeded.add(id);
    }
  }

  private merge(stored: Map<number, StoredRun>): void {
    for (const [id, s] of stored) {
      const prev = this.byTarget.get(id);
      if (!prev || prev.startedAt <= s.newest.startedAt) this.byTarget.set(id, s.newest);
      let run = this.runs.get(id);
      if (!run) this.runs.set(id, (run = { failuresInARow: 0, measured: false, firstAt: Infinity, complete: false }));
      if (run.complete) continue;
      let failures = 0;
      let measured = false;
      for (const r of s.recent) {
        if (r.startedAt >= run.firstAt || unmeasured.has(r.outcome)) continue;
        measured = true;
        if (r.outcome === 'success') break;
        failures++;
      }
      Object.assign(run, { failuresInARow: run.failuresInARow + failures, measured: run.measured || measured, complete: true });
    }
  }

  /** Forgets a deleted target's result and run (and that it was looked up). */
  forget(targetId: number): void {
    this.byTarget.delete(targetId);
    this.runs.delete(targetId);
    this.seeded.delete(targetId);
  }
}
