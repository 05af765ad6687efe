/**
 * NetWatch's own stalls (issue 16 §1): a paused process (SIGSTOP), a paused VM or a blocked event
 * loop must never be recorded as the targets' failure.
 *
 * Why: on resume, Node runs the timers that expired during the stall (timers phase) before it polls
 * the sockets whose handshakes the kernel completed meanwhile (poll phase, see the Node.js event
 * loop guide). So a deadline that fires late is not evidence that the target did not answer:
 * - {@link deadline} judges a late deadline only after one more I/O poll (`setImmediate` callbacks
 *   run in the check phase, after the poll phase), so answers that arrived during the stall are seen;
 * - {@link unansweredCode}: an attempt still unanswered then is `ESTALL` (recorded as `local_error`,
 *   "not measured") when NetWatch itself was stalled past its deadline, else `ETIMEDOUT`;
 * - {@link StallWatch} notices stalls (a heartbeat that came late) for health, and tells a probe
 *   whether one fell inside its attempt (its connect time then is not known, see probe.ts).
 */
import type { StallSummary } from '../domain/types.js';
import { monoNow } from './clock.js';

export type { StallSummary };

/** A deadline that fires at least this late, ms, is judged after one more I/O poll. */
export const LATE_MS = 10;
/**
 * A gap this long, ms, in which NetWatch's event loop did not run is a stall: far beyond the lag
 * of a busy loop (health's on-time mark is 50 ms), and a full interval of the fastest target (1 s).
 */
export const STALL_MS = 1000;
/** How often the watch's heartbeat runs, ms. */
export const BEAT_MS = 100;

/** A running deadline; see {@link deadline}. */
export interface Deadline {
  /** How late it is now against its due time, ms (negative: not yet due). */
  lateMs(): number;
  /** Cancels it (also a pending after-poll judgement). */
  clear(): void;
}

/**
 * Calls `onDue(lateMs)` once `ms` have passed (monotonic clock). When the timer fired
 * {@link LATE_MS} or more after its due time, the call waits for one more I/O poll first,
 * and `lateMs` is how late the timer fired.
 */
export function deadline(ms: number, onDue: (lateMs: number) => void): Deadline {
  const due = monoNow() + ms;
  let immediate: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => {
    const late = monoNow() - due;
    if (late < LATE_MS) onDue(Math.max(0, late));
    else immediate = setImmediate(() => onDue(late));
  }, ms);
  return {
    lateMs: () => monoNow() - due,
    clear() {
      clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
    },
  };
}

/**
 * The errno-like code of an attempt with no answer at its deadline: `ESTALL` when NetWatch, not the
 * target, may be why (its deadline fired {@link STALL_MS} or more late, or a stall cut its time
 * budget short of the target's timeout: `cutByStall`), else `ETIMEDOUT`.
 */
export function unansweredCode(lateMs: number, cutByStall = false): 'ESTALL' | 'ETIMEDOUT' {
  return cutByStall || lateMs >= STALL_MS ? 'ESTALL' : 'ETIMEDOUT';
}

/** One stall: monotonic end, wall-clock end (UTC epoch ms) and length, ms. */
interface Stall {
  endMono: number;
  endAt: number;
  ms: number;
}

/** Notices stalls of this process's event loop with a heartbeat every {@link BEAT_MS}; one per actor system. */
export class StallWatch {
  private lastBeat = monoNow();
  private timer: NodeJS.Timeout | undefined;
  private readonly recent: Stall[] = [];
  private total = 0;

  /**
   * @param now the wall clock, UTC epoch ms
   * @param onStall called with each stall's length, ms, when it is noticed (the system logs it)
   */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly onStall: (ms: number) => void = () => undefined,
  ) {}

  /** Starts the heartbeat (it does not keep the process alive). */
  start(): this {
    this.lastBeat = monoNow();
    this.timer = setInterval(() => this.beat(), BEAT_MS);
    this.timer.unref();
    return this;
  }

  /** Stops the heartbeat. */
  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    const m = monoNow();
    const gap = m - this.lastBeat - BEAT_MS;
    this.lastBeat = m;
    if (gap < STALL_MS) return;
    this.total++;
    this.recent.push({ endMono: m, endAt: this.now(), ms: Math.round(gap) });
    if (this.recent.length > 100) this.recent.shift();
    this.onStall(Math.round(gap));
  }

  /**
   * True when a stall fell after `sinceMono` (monotonic ms): one already noticed, or one going on
   * now whose heartbeat has not run yet (events of a poll phase can come before the late timers).
   */
  stalledSince(sinceMono: number): boolean {
    if (monoNow() - this.lastBeat - BEAT_MS >= STALL_MS) return true;
    return this.recent.some((s) => s.endMono > sinceMono);
  }

  /** Stalls in the 60 s before `now` (UTC epoch ms). */
  summary(now: number): StallSummary {
    const last = this.recent.filter((s) => s.endAt > now - 60_000 && s.endAt <= now);
    return {
      lastMinute: last.length,
      longestMs: last.length ? Math.max(...last.map((s) => s.ms)) : null,
      lastEndedAt: this.recent.at(-1)?.endAt ?? null,
      total: this.total,
    };
  }
}
