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
