/**
 * The probe descriptor budget (issue 15 §3): probe sockets may hold at most `size` file
 * descriptors at once, the process's descriptor limit (RLIMIT_NOFILE, getrlimit(2)) minus a
 * reserve for the HTTP server, the database, logs and SQLite. So probes at black-holed targets,
 * each holding a socket until its timeout, can never starve the API or result storage.
 *
 * A probe takes a descriptor before connect(2) and gives it back when its socket has closed.
 * When none is free it waits, first come first served, until its deadline (the end of its slot);
 * one still waiting then is recorded at once as `local_error` `EFDBUDGET`, never as a timeout.
 * This module is the one owner of the count; health reads {@link DescriptorBudget.stats}.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { RecentCounts } from './recent-counts.js';

/** Descriptors kept for everything but probes (HTTP clients, database, logs, SQLite), at most. */
export const RESERVE = 128;

/** The process's descriptor limit and where it was read. */
export interface NofileLimit {
  /** Soft limit (the one the kernel enforces on open/socket); Infinity for `unlimited`. */
  soft: number;
  /** Hard limit; Infinity for `unlimited`; null when unknown. */
  hard: number | null;
  /** `/proc/self/limits` (Linux), `ulimit -n` (other POSIX systems), or `assumed` (1,024, the usual default). */
  source: '/proc/self/limits' | 'ulimit -n' | 'assumed';
}

const limitValue = (v: string): number => (v === 'unlimited' ? Infinity : Number(v));

/**
 * Reads RLIMIT_NOFILE of this process. Node has no getrlimit(2) binding: on Linux the kernel
 * publishes it in `/proc/self/limits` (proc(5), "Max open files"); elsewhere `sh -c 'ulimit -n'`
 * reports the soft limit the child inherited from us; failing both, 1,024 is assumed. Never throws.
 */
export function readNofileLimit(): NofileLimit {
  try {
    const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    const soft = m ? limitValue(m[1]!) : NaN;
    if (soft > 0) return { soft, hard: limitValue(m![2]!), source: '/proc/self/limits' };
  } catch {
    // not Linux: fall through
  }
  try {
    const out = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2000 }).stdout?.trim();
    const soft = out ? limitValue(out) : NaN;
    if (soft > 0) return { soft, hard: null, source: 'ulimit -n' };
  } catch {
    // no shell: fall through
  }
  return { soft: 1024, hard: null, source: 'assumed' };
}

/**
 * The budget for a soft limit: the limit minus a reserve of {@link RESERVE} (half the limit when
 * the limit is under 256), at least 1. An unlimited limit gives an unlimited budget.
 */
export function budgetFor(limit: number): { reserve: number; size: number } {
  if (!Number.isFinite(limit)) return { reserve: RESERVE, size: Infinity };
  const reserve = Math.min(RESERVE, Math.floor(limit / 2));
  return { reserve, size: Math.max(1, limit - reserve) };
}

/**
 * Probe descriptors the targets may hold at once at worst (every peer silent): each target holds
 * one socket for at most its timeout in each interval, so Σ timeout / interval, rounded up.
 */
export function descriptorsNeeded(targets: readonly { intervalSeconds: number; effectiveTimeoutMs: number }[]): number {
  let n = 0;
  for (const t of targets) n += Math.min(1, t.effectiveTimeoutMs / (t.intervalSeconds * 1000));
  return Math.max(0, Math.ceil(n - 1e-9));
}

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

/** What the budget reports (health, start log). Counts "last minute" are over the 60 s before `now`. */
export interface BudgetStats {
  limit: number;
  reserve: number;
  size: number;
  inUse: number;
  waiting: number;
  /** Probes that found no free descriptor and had to wait, last minute. */
  waitedLastMinute: number;
  /** Probes that got none within their slot (recorded as `local_error` EFDBUDGET), last minute. */
  refusedLastMinute: number;
  /** Most descriptors probes held at once since start. */
  peakInUse: number;
}

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
  constructor(readonly limit: number, size?: number) {
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
    let timer: NodeJS.Timeout | undefined;
    let settle!: (ok: boolean) => void;
    const granted = new Promise<boolean>((resolve) => (settle = resolve));
    const w: Waiter = {
      done: false,
      settle: (ok) => {
        if (w.done) return;
        w.done = true;
        clearTimeout(timer);
        if (!ok) this.events.add('refused', Date.now());
        settle(ok);
      },
    };
    this.queue.push(w);
    timer = setTimeout(() => w.settle(false), Math.max(0, waitMs));
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
