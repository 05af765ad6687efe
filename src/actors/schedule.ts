/**
 * The probe schedule (user's spec): fixed rate, start to start, aligned to the wall clock.
 * A target with interval I probes at `phase + k·I` (UTC epoch ms, k integer), where the phase is a
 * stable function of the target id, so a spoke engineer can predict when each SYN leaves the hub.
 * Missed slots are skipped, never caught up in a burst.
 */

/**
 * Stable offset of a target's slots within its interval, ms in [0, intervalMs).
 * Knuth's multiplicative hash spreads consecutive ids across the interval.
 */
export function phaseMs(targetId: number, intervalMs: number): number {
  const h = Math.imul(targetId >>> 0, 2654435761) >>> 0;
  return h % intervalMs;
}

/**
 * The first slot at or after `notBefore`: the smallest `phase + k·interval ≥ notBefore`.
 * @param notBefore UTC epoch ms; @returns UTC epoch ms
 */
export function nextSlot(notBefore: number, phase: number, intervalMs: number): number {
  const k = Math.ceil((notBefore - phase) / intervalMs);
  return phase + k * intervalMs;
}

/**
 * Wall-clock changes smaller than this, ms, are not treated as a step: the system clock and the
 * monotonic clock run at the same (NTP-slewed) rate, so only a step (settimeofday, a VM resumed,
 * an operator) moves one against the other by more than timer noise.
 */
export const CLOCK_STEP_TOLERANCE_MS = 100;

/**
 * How far the wall clock was stepped between two readings, ms (positive: forwards), or 0 when
 * it moved with the monotonic clock (within {@link CLOCK_STEP_TOLERANCE_MS}).
 * @param wall0 @param wall1 UTC epoch ms; @param mono0 @param mono1 monotonic ms (performance.now())
 */
export function clockStepMs(wall0: number, mono0: number, wall1: number, mono1: number): number {
  const step = wall1 - wall0 - (mono1 - mono0);
  return Math.abs(step) > CLOCK_STEP_TOLERANCE_MS ? step : 0;
}

/**
 * The slot to probe next after the wall clock stepped: the first `phase + k·interval` on the new
 * wall clock that is at least half an interval (real time) after the previous probe. So probing
 * goes on at the next slot of the new clock (no stall after a backwards step, no catch-up burst
 * after a forwards one), and a small backwards step does not probe a slot twice in a row
 * (the cron(8) rule for small clock changes, in the same spirit).
 * @param now new wall-clock time, UTC epoch ms
 * @param sinceLastProbeMs monotonic ms since the previous probe started (Infinity when none)
 * @returns UTC epoch ms on the new wall clock
 */
export function slotAfterStep(now: number, sinceLastProbeMs: number, phase: number, intervalMs: number): number {
  const wait = Math.max(0, intervalMs / 2 - sinceLastProbeMs);
  return nextSlot(now + wait, phase, intervalMs);
}
