/**
 * The process's descriptor limit (RLIMIT_NOFILE, getrlimit(2)) and the arithmetic of the probe
 * descriptor budget (issue 15 §3): how much to keep in reserve, and how many descriptors the
 * enabled targets may need at worst. Pure apart from reading the limit; the budget's state lives
 * in fd-budget.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
