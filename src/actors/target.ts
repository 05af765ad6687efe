/**
 * Target actor: one per enabled target. Probes at `phase + k·interval` (see schedule.ts), hands each
 * result to the writer, never overlaps two probes of the same target (a probe's budget ends at the
 * next slot; one still out then is ended as a timeout before the next starts), and never catches
 * up after a stall (missed slots are skipped; a slot whose whole window passed during a stall of
 * NetWatch is not probed with no time left, see stall.ts).
 *
 * Slots are wall-clock times; the wait for one runs on the monotonic clock. When the wall clock is
 * stepped (noticed when a timer fires, or by the clock watcher through a `realign`), the target
 * re-plans on the new wall clock ({@link slotAfterStep}) without probing, so no probe is sent late
 * with a step-long lag, and a backwards step never leaves a timer sleeping for as long as the step.
 */
import { dispatch, spawn, type Ref } from 'nact';
import type { Logger } from 'pino';
import type { Target } from '../domain/types.js';
import type { DescriptorBudget } from './fd-budget.js';
import type { LagStats } from './lag-stats.js';
import { parseHost } from '../domain/host-rules.js';
import { probe, type ParsedHost, type ProbeHandle, type WireSpec } from './probe.js';
import { wireKey, wireSpec } from './wire-spec.js';
import { clockStepMs, nextSlot, phaseMs, slotAfterStep } from './schedule.js';
import type { Writer } from './writer.js';
import { monoNow, type WallClock } from './clock.js';
import { STALL_MS, type StallWatch } from './stall.js';

/** Messages a target actor takes. `realign`: the wall clock was stepped; plan the next slot anew. */
export type TargetMsg = { kind: 'configure'; target: Target } | { kind: 'tick'; slot: number } | { kind: 'realign' };

interface TargetState {
  target: Target | null;
  timer: NodeJS.Timeout | undefined;
  slot: number;
  /** Wall and monotonic time when the timer for `slot` was set (to tell a clock step from lag). */
  armedWall: number;
  armedMono: number;
  /** Monotonic time the last probe started (-Infinity before the first). */
  probedMono: number;
  /** The target's host, parsed once per configuration. */
  parsed: ParsedHost | null;
  /** The target's wire settings (source port cycler included), built once per configuration. */
  wire: WireSpec | undefined;
  /** Ends the probe that is out (it is at its deadline when the next slot comes). */
  handle: ProbeHandle;
}

/** What a target actor needs from its surroundings. */
export interface TargetDeps {
  writer: Pick<Writer, 'submit'>;
  lag: LagStats;
  log: Logger;
  /** Probe descriptors shared by every target (fd-budget.ts); none = unbounded. */
  budget?: DescriptorBudget | undefined;
  /** The wall clock slots are read on (Date.now in production). */
  now: WallClock;
  /** NetWatch's stall watch (stall.ts), passed to each probe. */
  stalls?: StallWatch | undefined;
}

/** Fields whose change reschedules the probe loop at once. */
export function probeKey(t: Target): string {
  return `${t.host}|${t.port}|${t.intervalSeconds}|${t.effectiveTimeoutMs}|${wireKey(t)}`;
}

const intervalOf = (t: Target) => t.intervalSeconds * 1000;

/** Sets the timer for `slot`: waits on the monotonic clock for the wall-clock distance to it. */
function arm(self: Ref<TargetMsg>, state: TargetState, slot: number, now: WallClock): void {
  state.slot = slot;
  state.armedWall = now();
  state.armedMono = monoNow();
  clearTimeout(state.timer);
  state.timer = setTimeout(() => dispatch(self, { kind: 'tick', slot }), Math.max(0, slot - state.armedWall));
}

/** Plans the next slot on the (stepped) wall clock, at least half an interval after the last probe. */
function realign(self: Ref<TargetMsg>, state: TargetState, now: WallClock): void {
  const t = state.target!;
  const slot = slotAfterStep(now(), monoNow() - state.probedMono, phaseMs(t.id, intervalOf(t)), intervalOf(t));
  arm(self, state, slot, now);
}

/**
 * Spawns the actor for `target` under `parent` (the supervisor). A crash restarts it (logged);
 * stopping it clears its timer (a probe already out still reports its result).
 */
export function spawnTarget(parent: Ref<unknown>, target: Target, deps: TargetDeps): Ref<TargetMsg> {
  const ref = spawn(
    parent,
    (state: TargetState, msg: TargetMsg, ctx) => {
      if (msg.kind === 'configure') {
        state.target = msg.target;
        state.parsed = parseHost(msg.target.host);
        state.wire = wireSpec(msg.target);
        const interval = intervalOf(msg.target);
        arm(ctx.self, state, nextSlot(deps.now(), phaseMs(msg.target.id, interval), interval), deps.now);
      } else if (msg.kind === 'realign') {
        if (state.target) realign(ctx.self, state, deps.now);
      } else if (msg.kind === 'tick') {
        if (msg.slot !== state.slot || !state.target) return state;
        const now = deps.now();
        const mono = monoNow();
        if (clockStepMs(state.armedWall, state.armedMono, now, mono) !== 0) {
          realign(ctx.self, state, deps.now);
          return state;
        }
        if (now < msg.slot) {
          // timers may fire a millisecond early by the wall clock
          arm(ctx.self, state, msg.slot, deps.now);
          return state;
        }
        const t = state.target;
        const interval = intervalOf(t);
        if (now >= msg.slot + interval) {
          // NetWatch was stalled past this slot's whole window (issue 16 §1): the slot is missed, not
          // probed with no time left; the slot whose window holds now is probed at once instead.
          deps.lag.record(now - msg.slot, now);
          arm(ctx.self, state, nextSlot(now - interval + 1, phaseMs(t.id, interval), interval), deps.now);
          return state;
        }
        // A probe's budget ends at the next slot at the latest; one still out now is at its deadline,
        // so it is ended (recorded as a timeout) before the next SYN leaves: probes never overlap.
        state.handle.cancel?.();
        deps.lag.record(now - msg.slot, now);
        state.probedMono = mono;
        const timeoutMs = Math.max(1, Math.min(t.effectiveTimeoutMs, msg.slot + interval - now));
        // a stall that left this slot less than the target's timeout makes "no answer" unjudgeable (stall.ts)
        const cutByStall = now - msg.slot >= STALL_MS && timeoutMs < t.effectiveTimeoutMs;
        void probe({
          targetId: t.id,
          host: t.host,
          port: t.port,
          timeoutMs,
          parsed: state.parsed ?? undefined,
          handle: state.handle,
          budget: deps.budget,
          now: deps.now,
          scheduledAt: msg.slot,
          wire: state.wire,
          stalls: deps.stalls,
          cutByStall,
        }).then(deps.writer.submit);
        arm(ctx.self, state, nextSlot(Math.max(now, msg.slot + 1), phaseMs(t.id, interval), interval), deps.now);
      }
      return state;
    },
    `target-${target.id}`,
    {
      initialStateFunc: () => ({
        target: null,
        timer: undefined,
        slot: 0,
        armedWall: 0,
        armedMono: 0,
        probedMono: -Infinity,
        parsed: null,
        wire: undefined,
        handle: { cancel: null },
      }),
      onCrash: (msg, err, ctx) => {
        deps.log.error({ err, targetId: target.id, msg }, 'target actor crashed; restarting');
        setImmediate(() => dispatch(ctx.self, { kind: 'configure', target }));
        return ctx.reset;
      },
      afterStop: (state) => clearTimeout(state.timer),
    },
  );
  dispatch(ref, { kind: 'configure', target });
  return ref;
}
