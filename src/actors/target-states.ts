/**
 * Target-state actor (issue 11): the one owner of every target's up/down/unknown state. It sees
 * each probe result as it is handed to the writer (system.ts), applies the rule in
 * domain/target-state.ts with the target's thresholds, and stores each change in `events`.
 *
 * After a restart a target's state continues from what is stored: its latest event (the state it
 * was in), then its results since that event replayed through the rule, so the runs under way are
 * counted on and no spurious "down" or "up" is recorded. A result older than what was already
 * applied (it was loaded from the store, and also arrives from the writer's path) is skipped.
 * Disabled and deleted targets are forgotten (the API reports them `unknown`); enabling one again
 * reloads it the same way.
 */
import { dispatch, spawn, type ActorSystemRef, type Ref } from 'nact';
import type { Logger } from 'pino';
import { initialTracked, step, trackedAfter, type TargetState, type Thresholds, type Tracked, type Transition } from '../domain/target-state.js';
import type { ProbeResult, Target } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { insertEvent, lastEvent, type StateEvent } from '../store/events.js';
import { inMaintenance, type MaintenanceWindow } from '../domain/maintenance.js';
import { listWindows } from '../store/maintenance.js';
import { listResults } from '../store/results.js';
import { getTarget } from '../store/targets.js';

/** Most stored results replayed per target on load (thresholds are at most 100). */
export const REPLAY_LIMIT = 250;

/** What the API reads for one target: its state and since when (UTC epoch ms; null when unknown). */
export interface StateView {
  state: TargetState;
  since: number | null;
}

interface Entry {
  tracked: Tracked;
  thresholds: Thresholds;
  /** Start time of the newest result applied (older ones are skipped). */
  seen: number;
}

type Msg = { kind: 'results'; results: ProbeResult[] } | { kind: 'configure'; targets: Target[]; done?: () => void };

/** Handle on the running state actor. */
export interface TargetStates {
  /** Hands one result over (batched into one message, as the writer does). */
  record(r: ProbeResult): void;
  /** The enabled targets (after each reconcile): thresholds change, others are forgotten. */
  configure(targets: readonly Target[]): Promise<void>;
  /** Current state of a target the actor tracks; undefined when it tracks none (disabled, not loaded yet). */
  get(targetId: number): StateView | undefined;
  /** Called after each change is stored (notifications hook in here). */
  onChange: ((e: StateEvent, target: Target | undefined) => void) | null;
}

/**
 * Spawns the state actor under `parent`. Changes are written to `db` in the order they happen;
 * a failed write is logged and retried with the next message, so none is lost while the store is out.
 */
export function spawnTargetStates(parent: ActorSystemRef, db: Db, log: Logger): TargetStates {
  const entries = new Map<number, Entry>();
  const targets = new Map<number, Target>();
  const unsaved: { targetId: number; t: Transition; inMaintenance: boolean }[] = [];
  /** Maintenance windows, reloaded on each reconcile (changes inside one are marked). */
  let windows: MaintenanceWindow[] = [];
  let inbox: ProbeResult[] | null = null;

  const save = async () => {
    while (unsaved.length > 0) {
      const { targetId, t, inMaintenance: maint } = unsaved[0]!;
      try {
        const e = await insertEvent(db, targetId, t, maint);
        unsaved.shift();
        log.info({ targetId, from: e.from, to: e.to, outcome: e.outcome, errorCode: e.errorCode }, `target ${e.to}`);
        try {
          api.onChange?.(e, targets.get(targetId));
        } catch (err) {
          log.error({ err }, 'state change listener failed');
        }
      } catch (err) {
        log.warn({ err, pending: unsaved.length }, 'storing a state change failed; will retry');
        return;
      }
    }
  };

  const apply = (targetId: number, entry: Entry, r: Pick<ProbeResult, 'startedAt' | 'outcome' | 'errorCode'>) => {
    if (r.startedAt <= entry.seen) return;
    entry.seen = r.startedAt;
    const t = step(entry.tracked, r, entry.thresholds);
    if (t) unsaved.push({ targetId, t, inMaintenance: inMaintenance(windows, targetId, t.at) });
  };

  /** Loads a target's state from its latest event and the results stored since. */
  const load = async (target: Target): Promise<Entry> => {
    const last = await lastEvent(db, target.id);
    const entry: Entry = { tracked: last ? trackedAfter(last) : initialTracked(), thresholds: target, seen: last?.at ?? -Infinity };
    const rows = await listResults(db, target.id, { from: last ? last.at + 1 : 0, to: Number.MAX_SAFE_INTEGER, limit: REPLAY_LIMIT });
    for (const r of rows.reverse()) apply(target.id, entry, r);
    return entry;
  };

  const ensure = async (targetId: number): Promise<Entry | undefined> => {
    let entry = entries.get(targetId);
    if (entry) return entry;
    // a result that arrives before the first reconcile reached this actor: read the target itself
    let target = targets.get(targetId);
    if (!target) {
      const stored = await getTarget(db, targetId);
      if (stored?.enabled) targets.set(targetId, (target = stored));
    }
    if (!entry && target) {
      entry = await load(target);
      entries.set(targetId, entry);
    }
    return entry;
  };

  const ref: Ref<Msg> = spawn(
    parent,
    async (state: null, msg: Msg) => {
      try {
        if (msg.kind === 'configure') {
          windows = await listWindows(db);
          targets.clear();
          for (const t of msg.targets) targets.set(t.id, t);
          for (const [id, e] of entries) {
            const t = targets.get(id);
            if (!t) entries.delete(id);
            else e.thresholds = { failureThreshold: t.failureThreshold, recoveryThreshold: t.recoveryThreshold };
          }
          for (const id of targets.keys()) await ensure(id);
        } else {
          if (inbox === msg.results) inbox = null;
          for (const r of msg.results) {
            const entry = await ensure(r.targetId);
            if (entry) apply(r.targetId, entry, r);
          }
        }
      } catch (err) {
        log.warn({ err }, 'target state: could not load stored state; will try again');
      }
      await save();
      if (msg.kind === 'configure') msg.done?.();
      return state;
    },
    'target-states',
    { initialState: null },
  );

  const api: TargetStates = {
    record(r) {
      if (inbox) inbox.push(r);
      else dispatch(ref, { kind: 'results', results: (inbox = [r]) });
    },
    configure: (list) => new Promise((resolve) => dispatch(ref, { kind: 'configure', targets: [...list], done: resolve })),
    get(id) {
      const e = entries.get(id);
      return e && { state: e.tracked.state, since: e.tracked.since };
    },
    onChange: null,
  };
  return api;
}
