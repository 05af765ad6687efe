/**
 * Instruments for the probe-capacity case (bench/run.ts): when every target first probed on its
 * slot after start (issue 12 §5, "restart to full schedule"), how fast the writer stores rows
 * while probing runs (issue 12 §3), and a heap snapshot for the memory breakdown (issue 12 §1).
 */
import { writeHeapSnapshot } from 'node:v8';
import type { ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';

/** A probe counts as on its slot when it started less than this many ms after it (lag-stats.ts's on-time line). */
const ON_SLOT_MS = 50;

/**
 * Tracks, from `t0` (performance.now() ms when the actors were started), the first on-slot probe
 * of each of `n` targets. `see` is fed every result; `fullScheduleSec` is the time (s) until the
 * last of the `n` targets had one, or null while some have not.
 */
export function scheduleWatch(n: number, t0: number): { see(r: ProbeResult): void; fullScheduleSec(): number | null; onSlot(): number } {
  const seen = new Set<number>();
  let full: number | null = null;
  return {
    see(r) {
      if (full !== null || r.scheduledAt == null || r.startedAt - r.scheduledAt >= ON_SLOT_MS) return;
      seen.add(r.targetId);
      if (seen.size === n) full = (performance.now() - t0) / 1000;
    },
    fullScheduleSec: () => full,
    onSlot: () => seen.size,
  };
}

/**
 * `db` whose writer handle times its transactions (the writer stores each flush in one):
 * `busyMs()` is the total ms spent in them since the last `reset()`.
 */
export function timedWriterDb(db: Db): { db: Db; busyMs(): number; reset(): void } {
  let busy = 0;
  const inner = db.forWriter();
  const writer: Db = {
    ...inner,
    async tx(fn) {
      const t = performance.now();
      try {
        return await inner.tx(fn);
      } finally {
        busy += performance.now() - t;
      }
    },
  };
  return { db: { ...db, forWriter: () => writer }, busyMs: () => busy, reset: () => void (busy = 0) };
}

/** Writes a heap snapshot to `file` when it is set (BENCH_HEAP_SNAPSHOT); @returns the file written or null. */
export function heapSnapshot(file: string | undefined): string | null {
  return file ? writeHeapSnapshot(file) : null;
}
