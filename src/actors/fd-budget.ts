/**
 * The probe descriptor budget (issue 15 §3): probe sockets may hold at most `size` file
 * descriptors at once, the process's descriptor limit (RLIMIT_NOFILE, getrlimit(2)) minus a
 * reserve for the HTTP server, the database, logs and SQLite. So probes at black-holed targets,
 * each holding a socket until its timeout, can never starve the API or result storage.
 *
 * A probe takes a descriptor before connect(2) and gives it back when its socket has closed.
 * When none is free it waits, first come first served, until its deadline (the end of its slot);
 * one still waiting then is recorded at once as `local_error` `EFDBUDGET`, never as a timeout.
 * This module is the one owner of the count; health reads {@link DescriptorBudget.stats}, and
 * {@link startBudget} logs the limit and the budget at start (the limit itself: fd-limit.ts).
 */
import { deadline, type Deadline } from './stall.js';
import type { Logger } from 'pino';
import type { Target } from '../domain/types.js';
import { budgetFor, descriptorsNeeded, readNofileLimit, type NofileLimit } from './fd-limit.js';
import { RecentCounts } from './recent-counts.js';

/** A probe waiting for a descriptor. */
export interface Wait {
  /** Resolves true when a descriptor was granted (the holder must {@link DescriptorBudget.release} it), false when none came in time or the wait was cancelled. */
  granted: Promise<boolean>;
  /** Gives up waiting (resolves `granted` false); no-op once settled. */
  cancel(): void;
}

interface Waiter {
  settle(ok: boolean): void;
  done: boolean;
}

export type { BudgetStats } from '../domain/types.js';
import type { BudgetStats } from '../domain/types.js';

/** Counts probe sockets against the budget; FIFO waiting with per-probe deadlines. */
export class DescriptorBudget {
  readonly reserve: number;
  readonly size: number;
  private inUse = 0;
  private peak = 0;
  private queue: Waiter[] = [];
  private head = 0;
  private readonly events = new RecentCounts();

  /** @param limit the soft descriptor limit (e.g. {@link readNofileLimit}().soft) */
  constructor(
    readonly limit: number,
    size?: number,
  ) {
    const b = budgetFor(limit);
    this.reserve = b.reserve;
    this.size = size ?? b.size;
  }

  /** Takes a descriptor if one is free now; @returns false when the budget is spent. */
  tryAcquire(): boolean {
    // waiters that gave up stay queued until reached; skip them so they never block a free descriptor
    while (this.head < this.queue.length && this.queue[this.head]!.done) this.head++;
    this.compact();
    if (this.inUse >= this.size || this.head < this.queue.length) return false;
    this.inUse++;
    if (this.inUse > this.peak) this.peak = this.inUse;
    return true;
  }

  /**
   * Waits up to `waitMs` for a descriptor, behind earlier waiters. Call after {@link tryAcquire}
   * returned false. A wait that ends without one is counted as refused (EFDBUDGET).
   */
  wait(waitMs: number): Wait {
    this.events.add('waited', Date.now());
    // assigned once below, after the waiter that clears it exists
    // eslint-disable-next-line prefer-const
    let timer: Deadline | undefined;
    let settle!: (ok: boolean) => void;
    const granted = new Promise<boolean>((resolve) => (settle = resolve));
    const w: Waiter = {
      done: false,
      settle: (ok) => {
        if (w.done) return;
        w.done = true;
        timer?.clear();
        if (!ok) this.events.add('refused', Date.now());
        settle(ok);
      },
    };
    this.queue.push(w);
    // a wait that ends late (NetWatch stalled) first sees the sockets that closed meanwhile (stall.ts)
    timer = deadline(Math.max(0, waitMs), () => w.settle(false));
    return { granted, cancel: () => w.settle(false) };
  }

  /** Gives back one descriptor (its socket has closed): handed to the oldest waiter, if any. */
  release(): void {
    while (this.head < this.queue.length) {
      const w = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Waiter;
      if (!w.done) {
        this.compact();
        w.settle(true);
        return;
      }
    }
    this.compact();
    this.inUse = Math.max(0, this.inUse - 1);
  }

  /** Current counts; `now` is UTC epoch ms. */
  stats(now: number): BudgetStats {
    const recent = this.events.counts(now);
    let waiting = 0;
    for (let i = this.head; i < this.queue.length; i++) if (!this.queue[i]!.done) waiting++;
    return {
      limit: this.limit,
      reserve: this.reserve,
      size: this.size,
      inUse: this.inUse,
      waiting,
      waitedLastMinute: recent.waited ?? 0,
      refusedLastMinute: recent.refused ?? 0,
      peakInUse: this.peak,
    };
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

const shown = (n: number) => (Number.isFinite(n) ? n : 'unlimited');

/**
 * Creates the process's probe budget from its descriptor limit (`limit` overrides it, for tests)
 * and logs the limit and the budget. @returns the budget and `checkNeed`, to call with the enabled
 * targets after each reconcile: it warns once each time they could need more than the budget.
 */
export function startBudget(log: Logger, limit?: number): { budget: DescriptorBudget; checkNeed(enabled: readonly Target[]): void } {
  const nofile: NofileLimit | { soft: number; hard: null; source: 'option' } = limit === undefined ? readNofileLimit() : { soft: limit, hard: null, source: 'option' };
  const budget = new DescriptorBudget(nofile.soft);
  log.info(
    { descriptorLimit: shown(nofile.soft), hardLimit: nofile.hard === null ? null : shown(nofile.hard), source: nofile.source, reserve: budget.reserve, probeDescriptors: shown(budget.size) },
    'descriptor limit and probe budget',
  );
  let short = false;
  const checkNeed = (enabled: readonly Target[]) => {
    const need = descriptorsNeeded(enabled);
    if (need > budget.size && !short) {
      log.warn(
        { descriptorLimit: shown(nofile.soft), reserve: budget.reserve, probeDescriptors: budget.size, enabledTargets: enabled.length, needed: need + budget.reserve },
        `descriptor limit ${shown(nofile.soft)} is below the ${need + budget.reserve} the enabled targets need at worst: raise it (ulimit -n, LimitNOFILE, docker --ulimit nofile); meanwhile probes wait for a descriptor and may be recorded as local_error EFDBUDGET`,
      );
    }
    short = need > budget.size;
  };
  return { budget, checkNeed };
}
