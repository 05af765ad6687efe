/**
 * Bucket arithmetic for history queries (user's spec): buckets are [t, t + step) with t a multiple
 * of step since the epoch; "auto" picks the smallest step of {@link AUTO_STEPS_S} that gives at
 * most {@link AUTO_MAX_BUCKETS} buckets; more than {@link MAX_BUCKETS} buckets is refused.
 */

/** Steps, s, that `step=auto` chooses from: 1 s, 10 s, 30 s, 1 m, 5 m, 10 m, 30 m, 1 h, 6 h, 1 d. */
export const AUTO_STEPS_S = [1, 10, 30, 60, 300, 600, 1800, 3600, 21600, 86400] as const;
/** Most buckets an automatic step yields. */
export const AUTO_MAX_BUCKETS = 1000;
/** Most buckets any history request may ask for. */
export const MAX_BUCKETS = 5000;

/** A history window widened to whole buckets. Times UTC epoch ms, step s. */
export interface BucketWindow {
  from: number;
  to: number;
  stepSeconds: number;
  count: number;
}

/**
 * Aligns [from, to) outward to whole buckets of `stepSeconds`.
 * @param from inclusive start, UTC epoch ms; @param to exclusive end, UTC epoch ms (> from)
 */
export function alignWindow(from: number, to: number, stepSeconds: number): BucketWindow {
  const stepMs = stepSeconds * 1000;
  const start = Math.floor(from / stepMs) * stepMs;
  const end = Math.ceil(to / stepMs) * stepMs;
  return { from: start, to: end, stepSeconds, count: Math.round((end - start) / stepMs) };
}

/** Picks the automatic step for [from, to): the smallest candidate giving ≤ 1,000 buckets (else 1 d). */
export function autoStep(from: number, to: number): number {
  for (const step of AUTO_STEPS_S) {
    if (alignWindow(from, to, step).count <= AUTO_MAX_BUCKETS) return step;
  }
  return AUTO_STEPS_S[AUTO_STEPS_S.length - 1]!;
}
