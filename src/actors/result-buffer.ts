/**
 * The writer's queue: results waiting to be stored, bounded, oldest dropped past the bound (the
 * writer counts them, writer-stats.ts). Nothing is removed until the database has accepted it.
 * The newest result of each target for the dashboard is latest-results.ts's.
 */
import type { ProbeResult } from '../domain/types.js';
import { monoNow } from './clock.js';

/** Buffer bounds (user's spec: flush at 1,000; keep at most 100,000). */
export interface BufferLimits {
  batchSize: number;
  maxBuffered: number;
}

/** Bounded FIFO of results awaiting storage. */
export class ResultBuffer {
  private items: ProbeResult[] = [];
  private head = 0;

  constructor(readonly limits: BufferLimits) {}

  /**
   * Since when (monotonic ms, so a wall-clock step neither hides nor fakes a stall) results have
   * waited without a successful flush; null when none wait.
   */
  private pendingSince: number | null = null;

  /** How long results have waited without a flush succeeding, ms (0 when none wait); monotonic. */
  waitingMs(): number {
    return this.pendingSince === null ? 0 : Math.max(0, monoNow() - this.pendingSince);
  }

  /** Number of results waiting. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds a result; @returns how many of the oldest were dropped to stay within the bound. */
  push(r: ProbeResult): number {
    if (this.size === 0) this.pendingSince = monoNow();
    this.items.push(r);
    let dropped = 0;
    if (this.size > this.limits.maxBuffered) {
      dropped = this.size - this.limits.maxBuffered;
      this.head += dropped;
    }
    this.compact();
    return dropped;
  }

  /**
   * The oldest results, up to one batch (or up to `batches` whole batches when that many are
   * waiting), without removing them.
   */
  peekBatch(batches = 1): ProbeResult[] {
    const n = this.limits.batchSize * Math.max(1, Math.min(batches, Math.floor(this.size / this.limits.batchSize)));
    return this.items.slice(this.head, this.head + n);
  }

  /**
   * Removes results the database accepted. Only the batch's rows still at the head are removed:
   * any that were dropped meanwhile are not counted twice.
   */
  commit(batch: readonly ProbeResult[]): void {
    let n = 0;
    while (n < batch.length && this.items[this.head] === batch[n]) {
      this.head++;
      n++;
    }
    if (n < batch.length) {
      // some of the batch had been dropped for the bound; remove the rest wherever they start
      const rest = new Set(batch);
      while (this.head < this.items.length && rest.has(this.items[this.head]!)) this.head++;
    }
    this.pendingSince = this.size > 0 ? monoNow() : null;
    this.compact();
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
