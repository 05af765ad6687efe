/**
 * The writer's statistics, kept by the writer (writer.ts) and read by /api/health, /metrics and a
 * node's heartbeat figures.
 */

/** Counters the writer exposes in /api/health and /metrics; counts of results, since the start. */
export interface WriterStats {
  /** Results waiting in memory to be stored now. */
  buffered: number;
  written: number;
  /** Oldest results dropped because the buffer was full (its bound, default 100,000). */
  dropped: number;
  failedFlushes: number;
  /** Last database error message, or null after a successful flush. */
  lastError: string | null;
  /** Its driver code (e.g. SQLITE_BUSY, ER_LOCK_WAIT_TIMEOUT), or null. */
  lastErrorCode: string | null;
}

/** Zeroed statistics for a new writer. */
export function newWriterStats(): WriterStats {
  return { buffered: 0, written: 0, dropped: 0, failedFlushes: 0, lastError: null, lastErrorCode: null };
}
