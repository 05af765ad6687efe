/**
 * The wall clock the actors read, and a watcher that notices when it is stepped.
 *
 * Slots are wall-clock times (UTC epoch ms, see schedule.ts), but timers and durations run on the
 * monotonic clock (`performance.now()`, CLOCK_MONOTONIC), which a clock step does not move.
 * The watcher compares the two a few times a second, so a step is noticed within
 * {@link CLOCK_WATCH_EVERY_MS} even by a target whose next slot is an hour away.
 */
import { clockStepMs } from './schedule.js';

/** Reads the wall clock, UTC epoch ms: `Date.now` in production; tests pass one they can step. */
export type WallClock = () => number;

/** Monotonic time, ms since an arbitrary origin: for timers, waits and durations, never for slots. */
export const monoNow = (): number => performance.now();

/** How often the watcher compares the wall clock with the monotonic clock, ms. */
export const CLOCK_WATCH_EVERY_MS = 200;

/**
 * Calls `onStep(stepMs)` (positive: the wall clock jumped forwards) each time the wall clock is
 * found stepped against the monotonic clock. @returns a function that stops watching
 */
export function watchClock(now: WallClock, onStep: (stepMs: number) => void, everyMs = CLOCK_WATCH_EVERY_MS): () => void {
  let wall = now();
  let mono = monoNow();
  const timer = setInterval(() => {
    const w = now();
    const m = monoNow();
    const step = clockStepMs(wall, mono, w, m);
    wall = w;
    mono = m;
    if (step !== 0) onStep(step);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
