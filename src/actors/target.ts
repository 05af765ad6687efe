/**
 * Target actor: one per enabled target. Probes at `phase + k·interval` (see schedule.ts), hands each
 * result to the writer, never overlaps two probes of the same target (a probe's budget ends at the
 * next slot; one still out then is ended as a timeout before the next starts), and never catches
 * up after a stall (missed slots are skipped).
 */
import { dispatch, spawn, type Ref } from 'nact';
import type { Logger } from 'pino';
import type { Target } from '../domain/types.js';
import type { DescriptorBudget } from './fd-budget.js';
import type { LagStats } from './lag-stats.js';
import { parseHost } from '../domain/target-rules.js';
import { probe, type ParsedHost, type ProbeHandle } from './probe.js';
import { nextSlot, phaseMs } from './schedule.js';
import type { Writer } from './writer.js';

/** Messages a target actor takes. */
export type TargetMsg =
  | { kind: 'configure'; target: Target }
  | { kind: 'tick'; slot: number };

interface TargetState {
  target: Target | null;
  timer: NodeJS.Timeout | undefined;
  slot: number;
  /** The target's host, parsed once per configuration. */
  parsed: ParsedHost | null;
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
}

/** Fields whose change reschedules the probe loop at once. */
export function probeKey(t: Target): string {
  return `${t.host}|${t.port}|${t.intervalSeconds}|${t.effectiveTimeoutMs}`;
}

function schedule(self: Ref<TargetMsg>, state: TargetState, notBefore: number): void {
  const t = state.target!;
  const interval = t.intervalSeconds * 1000;
  state.slot = nextSlot(notBefore, phaseMs(t.id, interval), interval);
  const slot = state.slot;
  clearTimeout(state.timer);
  state.timer = setTimeout(() => dispatch(self, { kind: 'tick', slot }), Math.max(0, slot - Date.now()));
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
        schedule(ctx.self, state, Date.now());
      } else if (msg.kind === 'tick') {
        if (msg.slot !== state.slot || !state.target) return state;
        const now = Date.now();
        if (now < msg.slot) {
          // timers run on the monotonic clock and may fire a millisecond early by the wall clock
          const slot = msg.slot;
          state.timer = setTimeout(() => dispatch(ctx.self, { kind: 'tick', slot }), slot - now);
          return state;
        }
        const t = state.target;
        const interval = t.intervalSeconds * 1000;
        // A probe's budget ends at the next slot at the latest; one still out now is at its deadline,
        // so it is ended (recorded as a timeout) before the next SYN leaves: probes never overlap.
        state.handle.cancel?.();
        deps.lag.record(now - msg.slot, now);
        const timeoutMs = Math.max(1, Math.min(t.effectiveTimeoutMs, msg.slot + interval - now));
        void probe({ targetId: t.id, host: t.host, port: t.port, timeoutMs, parsed: state.parsed ?? undefined, handle: state.handle, budget: deps.budget }).then(deps.writer.submit);
        schedule(ctx.self, state, Math.max(now, msg.slot + 1));
      }
      return state;
    },
    `target-${target.id}`,
    {
      initialStateFunc: () => ({ target: null, timer: undefined, slot: 0, parsed: null, handle: { cancel: null } }),
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
