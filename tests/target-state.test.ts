/** The target-state rule (issue 11): thresholds, unmeasured results, outage start and end. */
import { describe, expect, it } from 'vitest';
import { initialTracked, step, trackedAfter, type Transition } from '../src/domain/target-state.js';
import type { Outcome } from '../src/domain/types.js';

const run = (outcomes: Outcome[], th = { failureThreshold: 3, recoveryThreshold: 1 }, t = initialTracked()) => {
  const out: Transition[] = [];
  outcomes.forEach((o, i) => {
    const e = step(t, { startedAt: (i + 1) * 1000, outcome: o, errorCode: o === 'success' ? null : 'ECONNREFUSED' }, th);
    if (e) out.push(e);
  });
  return { t, out };
};

describe('target state rule', () => {
  it('unknown turns up after recoveryThreshold successes', () => {
    expect(run(['success']).out).toMatchObject([{ from: 'unknown', to: 'up', at: 1000, streakStartedAt: 1000, firstFailedAt: null }]);
    expect(run(['success'], { failureThreshold: 3, recoveryThreshold: 2 }).out).toEqual([]);
  });
  it('turns down only at the failure threshold; the outage starts at its first failed probe', () => {
    const { t, out } = run(['success', 'refused', 'refused', 'success', 'refused', 'timeout', 'refused', 'refused']);
    expect(out.map((e) => e.to)).toEqual(['up', 'down']);
    expect(out[1]).toMatchObject({ from: 'up', at: 7000, outcome: 'refused', errorCode: 'ECONNREFUSED', firstFailedAt: 5000, streakStartedAt: 5000 });
    expect(t).toMatchObject({ state: 'down', since: 5000 });
  });
  it('a success run short of the recovery threshold keeps the same outage open', () => {
    const th = { failureThreshold: 1, recoveryThreshold: 2 };
    const { out } = run(['success', 'success', 'refused', 'success', 'refused', 'success', 'success'], th);
    expect(out.map((e) => `${e.from}>${e.to}`)).toEqual(['unknown>up', 'up>down', 'down>up']);
    // the outage runs from the first failure (3 s) to the first success of the recovering run (6 s)
    expect(out[2]).toMatchObject({ at: 7000, firstFailedAt: 3000, streakStartedAt: 6000 });
  });
  it('local_error neither fails nor recovers a target, nor breaks a run', () => {
    expect(run(['success', 'local_error', 'local_error', 'local_error', 'local_error']).out.map((e) => e.to)).toEqual(['up']);
    const { out } = run(['success', 'refused', 'local_error', 'refused', 'local_error', 'refused']);
    expect(out.map((e) => e.to)).toEqual(['up', 'down']);
    expect(out[1]!.firstFailedAt).toBe(2000);
    const down = trackedAfter({ to: 'down', firstFailedAt: 1, streakStartedAt: 1 });
    expect(run(['local_error', 'local_error'], undefined, down).out).toEqual([]);
  });
  it('continues from a stored change without repeating it', () => {
    const down = trackedAfter({ to: 'down', firstFailedAt: 500, streakStartedAt: 500 });
    expect(run(['refused', 'refused', 'refused', 'refused'], undefined, down).out).toEqual([]);
    const { out } = run(['refused', 'success'], undefined, trackedAfter({ to: 'down', firstFailedAt: 500, streakStartedAt: 500 }));
    expect(out).toMatchObject([{ from: 'down', to: 'up', firstFailedAt: 500, streakStartedAt: 2000 }]);
  });
});
