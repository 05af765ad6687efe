/**
 * Writer actor: takes probe results, stores them with one multi-row INSERT per flush (plus the
 * rollup upserts, in the same transaction)
 * (every 1 s, or as soon as 1,000 are waiting). When a backlog of whole batches is waiting (the
 * database or the event loop was slow), one flush takes up to {@link MAX_BATCHES_PER_FLUSH} of them in
 * one transaction (still INSERTs of 1,000 rows), so the writer catches up instead of dropping results.
 * A failing database keeps the batch and retries at most 1 s apart (issue "Run for months unattended"
 * §3: stored within 2 s of the store's return), timed on the monotonic clock so a wall-clock step
 * cannot postpone a retry; nothing is recorded as a probe failure because of it.
 *
 * Results arrive through {@link Writer.submit}, which collects them into one `results` message:
 * an actor handles one message per event-loop turn, so one message per result would let the
 * mailbox grow without bound at thousands of probes per second (issue "Performance at scale").
 */
import { dispatch, spawn, type ActorSystemRef, type Ref } from 'nact';
import type { Logger } from 'pino';
import type { ProbeResult } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { storeBatch } from '../store/rollups.js';
import { ResultBuffer, type BufferLimits } from './result-buffer.js';
import { newWriterStats, type WriterStats } from './writer-stats.js';
import { monoNow } from './clock.js';

/** Messages the writer takes. */
export type WriterMsg =
  /** Results submitted since the previous such message was handled (appended to until then). */
  { kind: 'results'; results: ProbeResult[] } | { kind: 'flush'; force?: boolean } | { kind: 'flushed'; batch: ProbeResult[]; error: Error | null };

interface WriterState {
  buffer: ResultBuffer;
  flushing: boolean;
  /** Monotonic ms before which a failed flush is not retried. */
  retryAt: number;
  backoffMs: number;
}

/** Writer settings; defaults from the user's spec. */
export interface WriterOptions extends BufferLimits {
  /** Longest a result waits before a flush, ms. */
  flushEveryMs: number;
  maxBackoffMs: number;
}

/** Most whole batches one flush (one transaction) takes when a backlog is waiting. */
export const MAX_BATCHES_PER_FLUSH = 10;

/** Defaults: flush every 1 s or at 1,000 results; bound 100,000; retry backoff capped at 1 s. */
export const WRITER_DEFAULTS: WriterOptions = { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 1000, maxBackoffMs: 1000 };

/** A running writer: its actor, its statistics (read-only use), and a way to store everything left. */
export interface Writer {
  ref: Ref<WriterMsg>;
  /** Counters since the start; `buffered` is kept current. */
  stats: Readonly<WriterStats>;
  /** How long results have waited without a flush succeeding, ms (0 when none wait); monotonic. */
  waitingMs(): number;
  /**
   * Hands one result to the writer actor: appended to the `results` message already on its way,
   * or sent in a new one (at most one is waiting at a time). Order is kept.
   */
  submit(result: ProbeResult): void;
  /** Stops the timer and writes what is buffered, retrying until `deadline` (performance.now() ms). */
  drain(deadline: number): Promise<void>;
}

/** Told after every flush: how long it took (ms, monotonic) and whether the database took the batch. */
export type OnFlush = (ms: number, ok: boolean) => void;

/** Spawns the writer under `parent`; `onFlush` (the metrics) is told how each flush went. */
export function spawnWriter(parent: ActorSystemRef, db: Db, log: Logger, opts: WriterOptions = WRITER_DEFAULTS, onFlush?: OnFlush): Writer {
  const buffer = new ResultBuffer(opts);
  const stats = newWriterStats();
  let lastDropLog = -Infinity;
  /** The `results` message sent but not yet handled; null when none is waiting. */
  let inbox: ProbeResult[] | null = null;
  const write = (self: Ref<WriterMsg>, batch: ProbeResult[]) => {
    const t0 = monoNow();
    return storeBatch(db, batch).then(
      () => {
        onFlush?.(monoNow() - t0, true);
        dispatch(self, { kind: 'flushed', batch, error: null });
      },
      (error: Error) => {
        onFlush?.(monoNow() - t0, false);
        dispatch(self, { kind: 'flushed', batch, error });
      },
    );
  };

  const ref = spawn(
    parent,
    (state: WriterState, msg: WriterMsg, ctx) => {
      const now = monoNow();
      if (msg.kind === 'results') {
        if (inbox === msg.results) inbox = null;
        let dropped = 0;
        for (const r of msg.results) dropped += state.buffer.push(r);
        stats.dropped += dropped;
        stats.buffered = state.buffer.size;
        if (dropped > 0 && now - lastDropLog > 10_000) {
          lastDropLog = now;
          log.error({ dropped: stats.dropped, bound: opts.maxBuffered }, 'result buffer full: oldest results dropped');
        }
        if (state.buffer.size < opts.batchSize) return state;
      } else if (msg.kind === 'flushed') {
        state.flushing = false;
        if (msg.error) {
          stats.failedFlushes++;
          stats.lastError = msg.error.message;
          stats.lastErrorCode = (msg.error as { code?: string }).code ?? null;
          state.retryAt = now + state.backoffMs;
          log.warn({ err: msg.error, buffered: state.buffer.size, retryInMs: state.backoffMs }, 'storing results failed; will retry');
          state.backoffMs = Math.min(state.backoffMs * 2, opts.maxBackoffMs);
          return state;
        }
        if (stats.lastError) log.info({ buffered: state.buffer.size }, 'storing results works again');
        state.buffer.commit(msg.batch);
        stats.written += msg.batch.length;
        stats.buffered = state.buffer.size;
        stats.lastError = null;
        stats.lastErrorCode = null;
        state.backoffMs = Math.min(250, opts.maxBackoffMs);
        state.retryAt = 0;
        if (state.buffer.size < opts.batchSize) return state;
      }
      if (!state.flushing && state.buffer.size > 0 && (now >= state.retryAt || (msg.kind === 'flush' && msg.force))) {
        state.flushing = true;
        void write(ctx.self, state.buffer.peekBatch(MAX_BATCHES_PER_FLUSH));
      }
      return state;
    },
    'writer',
    { initialState: { buffer, flushing: false, retryAt: 0, backoffMs: Math.min(250, opts.maxBackoffMs) } },
  );
  const timer = setInterval(() => dispatch(ref, { kind: 'flush' }), opts.flushEveryMs);

  return {
    ref,
    stats,
    waitingMs: () => buffer.waitingMs(),
    submit(result) {
      if (inbox) inbox.push(result);
      else dispatch(ref, { kind: 'results', results: (inbox = [result]) });
    },
    async drain(deadline) {
      clearInterval(timer);
      // let the actor finish what is in flight, then write the rest directly
      while (performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        if (buffer.size === 0) return;
        dispatch(ref, { kind: 'flush', force: true });
      }
      if (buffer.size > 0) log.error({ unwritten: buffer.size }, 'shutdown: results could not be stored before the deadline');
    },
  };
}
