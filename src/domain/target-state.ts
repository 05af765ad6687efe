/**
 * Target state (issue 11, "State and outages"): the pure rule that turns a target's probe results,
 * in start order, into `up` / `down` / `unknown` and the changes between them. Browser-safe.
 *
 * - `unknown`: no measured result yet (or the target is disabled; the API reports that).
 * - A target turns `down` after `failureThreshold` consecutive failed probes (from `up` or `unknown`).
 * - It turns `up` after `recoveryThreshold` consecutive successes (from `down` or `unknown`).
 * - `local_error` results ({@link UNMEASURED_OUTCOMES}) measured nothing about the target: they
 *   neither fail nor recover it, and do not break a run of failures or successes.
 * - An outage runs from its first failed probe to the first success of the run that recovers it;
 *   a success run that falls short of the recovery threshold does not end it.
 */
import { UNMEASURED_OUTCOMES, type Outcome } from './types.js';

/** States a target can be in. */
export const TARGET_STATES = ['up', 'down', 'unknown'] as const;
/** One of {@link TARGET_STATES}. */
export type TargetState = (typeof TARGET_STATES)[number];

/** What the rule remembers about one target between results. Times are UTC epoch ms. */
export interface Tracked {
  state: TargetState;
  /** Start of the run that led to the current state (down: first failed probe; up: first success); null when unknown. */
  since: number | null;
  failStreak: number;
  successStreak: number;
  /** First failed probe of the current outage (down), or of the failure run under way (up/unknown); null when none. */
  firstFailedAt: number | null;
  /** First success of the success run under way; null when none. */
  firstSuccessAt: number | null;
}

/** A state change, as stored in the `events` table. Times are UTC epoch ms. */
export interface Transition {
  from: TargetState;
  to: TargetState;
  /** Start time of the probe whose result made the change. */
  at: number;
  /** That probe's outcome and errno (null on success). */
  outcome: Outcome;
  errorCode: string | null;
  /** The outage's first failed probe (down, and the up that ends it); null for unknown → up. */
  firstFailedAt: number | null;
  /** First probe of the run that caused the change: down = firstFailedAt; up = where the outage ends. */
  streakStartedAt: number;
}

/** A state change as the API returns it. */
export interface StateEvent extends Transition {
  id: number;
  targetId: number;
  /** Where the change was seen; 'default' until locations exist. */
  location: string;
  /** Seen inside a maintenance window (notifications silenced). */
  inMaintenance: boolean;
}

/** An outage: from its first failed probe to the first success of the run that recovered it. */
export interface Outage {
  targetId: number;
  location: string;
  /** First failed probe, UTC epoch ms. */
  start: number;
  /** First success of the recovering run; null while the outage is open. */
  end: number | null;
  /** end − start, ms (open: now − start). */
  durationMs: number;
  /** Outcome and errno of the probe that turned the target down. */
  cause: { outcome: Outcome; errorCode: string | null };
  /** It began inside a maintenance window: shown as maintenance, left out of downtime. */
  maintenance: boolean;
}

/** Per-target thresholds, 1–100 (see target-rules.ts). */
export interface Thresholds {
  failureThreshold: number;
  recoveryThreshold: number;
}

/** The state of a target nothing is known about yet. */
export function initialTracked(): Tracked {
  return { state: 'unknown', since: null, failStreak: 0, successStreak: 0, firstFailedAt: null, firstSuccessAt: null };
}

/** The state right after a stored change (used to continue after a restart). */
export function trackedAfter(e: Pick<Transition, 'to' | 'firstFailedAt' | 'streakStartedAt'>): Tracked {
  return { ...initialTracked(), state: e.to, since: e.streakStartedAt, firstFailedAt: e.to === 'down' ? e.firstFailedAt : null };
}

const UNMEASURED: readonly Outcome[] = UNMEASURED_OUTCOMES;

/**
 * Applies one result to `t` (mutated) and returns the change it causes, or null.
 * @param r the result's start time (UTC epoch ms), outcome and errno
 */
export function step(t: Tracked, r: { startedAt: number; outcome: Outcome; errorCode: string | null }, th: Thresholds): Transition | null {
  if (UNMEASURED.includes(r.outcome)) return null;
  const from = t.state;
  if (r.outcome === 'success') {
    t.failStreak = 0;
    if (from !== 'down') t.firstFailedAt = null;
    if (t.successStreak++ === 0) t.firstSuccessAt = r.startedAt;
    if (from === 'up' || t.successStreak < th.recoveryThreshold) return null;
    const streakStartedAt = t.firstSuccessAt!;
    const firstFailedAt = from === 'down' ? t.firstFailedAt : null;
    Object.assign(t, { state: 'up', since: streakStartedAt, firstFailedAt: null });
    return { from, to: 'up', at: r.startedAt, outcome: r.outcome, errorCode: null, firstFailedAt, streakStartedAt };
  }
  t.successStreak = 0;
  t.firstSuccessAt = null;
  if (t.failStreak++ === 0 && from !== 'down') t.firstFailedAt = r.startedAt;
  if (from === 'down' || t.failStreak < th.failureThreshold) return null;
  const firstFailedAt = t.firstFailedAt!;
  Object.assign(t, { state: 'down', since: firstFailedAt });
  return { from, to: 'down', at: r.startedAt, outcome: r.outcome, errorCode: r.errorCode, firstFailedAt, streakStartedAt: firstFailedAt };
}

/**
 * Flapping (issue 11): a target that changed state more than {@link FLAP_CHANGES} times within
 * {@link FLAP_WINDOW_MS} is `flapping`; its notifications are one summary until it is stable that long.
 */
export const FLAP_CHANGES = 5;
/** See {@link FLAP_CHANGES}: 10 minutes, ms. */
export const FLAP_WINDOW_MS = 600_000;
