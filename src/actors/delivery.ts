/**
 * Delivery actor (issue 11, "Delivery"): turns each state change into one delivery per channel of
 * the target, stores it as `pending` before the first attempt, and sends it with retries: after a
 * failed attempt the next comes 5 s, 10 s, 20 s … (at most 2 min) later, until 10 min after the
 * change, when it is marked `failed`. Sends run outside the probe path (a slow receiver only holds
 * its own attempt, at most `timeoutMs`), and on start every pending delivery is resumed.
 *
 * Not notified: `unknown → up` (a new or re-enabled target answering, nothing recovered), and
 * changes inside a maintenance window (recorded and marked by the state actor).
 * Flapping: a change that makes more than `flapChanges` changes within `flapWindowMs` (the events
 * table) sends one `flapping` summary instead; later changes send nothing until the target has
 * not changed for `flapWindowMs`, when one `stable` summary (with the state then) is sent. After a
 * restart the count starts from the stored events again, so a target still flapping is summarised once more.
 */
import { dispatch, spawn, type ActorSystemRef, type Ref } from 'nact';
import type { Logger } from 'pino';
import { REQUIRED_SECRETS } from '../domain/channel-rules.js';
import { FLAP_CHANGES, FLAP_WINDOW_MS, type StateEvent } from '../domain/target-state.js';
import type { Target } from '../domain/types.js';
import { flapNotice, stateNotice } from '../notify/message.js';
import { countEvents } from '../store/events.js';
import type { SecretBox } from '../notify/secret-box.js';
import { send, sendTargetOf } from '../notify/send.js';
import { channelsOfTarget, getChannel } from '../store/channels.js';
import type { Db } from '../store/db.js';
import { getDelivery, hasDelivery, insertDelivery, pendingDeliveries, recordAttempt } from '../store/deliveries.js';

/** Retry settings, ms; defaults from the user's spec (retries for up to 10 min). */
export interface DeliveryOptions {
  /** Longest one attempt may take. */
  timeoutMs: number;
  firstRetryMs: number;
  maxRetryMs: number;
  /** Time after the delivery was created when retrying stops. */
  giveUpAfterMs: number;
  /** Flapping (issue 11): more than `flapChanges` changes within `flapWindowMs` → one summary, then quiet until stable that long. */
  flapChanges: number;
  flapWindowMs: number;
}

/** Defaults: 10 s per attempt, retries 5 s doubling to 2 min, given up after 10 min; flapping: more than 5 changes in 10 min. */
export const DELIVERY_DEFAULTS: DeliveryOptions = { timeoutMs: 10_000, firstRetryMs: 5_000, maxRetryMs: 120_000, giveUpAfterMs: 600_000, flapChanges: FLAP_CHANGES, flapWindowMs: FLAP_WINDOW_MS };

type Msg =
  | { kind: 'change'; event: StateEvent; target: Target | undefined }
  | { kind: 'stable'; targetId: number }
  | { kind: 'resume' }
  | { kind: 'attempt'; id: number }
  | { kind: 'attempted'; id: number; error: string | null };

/** Handle on the running delivery actor. */
export interface Deliveries {
  /** Queues notifications for a stored state change. */
  notify(event: StateEvent, target: Target | undefined): void;
  /** Stops retry timers (pending deliveries stay stored and resume on the next start). */
  stop(): void;
}

/** Spawns the delivery actor. `publicUrl` (NETWATCH_PUBLIC_URL) makes the links; null leaves them out. */
export function spawnDeliveries(parent: ActorSystemRef, db: Db, box: SecretBox, log: Logger, publicUrl: string | null, now: () => number, opts: DeliveryOptions = DELIVERY_DEFAULTS): Deliveries {
  const timers = new Map<number, NodeJS.Timeout>();
  const inFlight = new Set<number>();
  /** Targets flapping now: their latest change and the timer that ends the quiet period. */
  const flapping = new Map<number, { event: StateEvent; target: Target; timer: NodeJS.Timeout }>();
  const flap = { changes: opts.flapChanges, windowMs: opts.flapWindowMs };
  const queue = async (self: Ref<Msg>, targetId: number, eventId: number, notice: ReturnType<typeof stateNotice>) => {
    for (const ch of await channelsOfTarget(db, targetId)) {
      // a channel whose required secret is unset (created by a config import, domain/config-channels.ts) cannot send
      const missing = REQUIRED_SECRETS[ch.kind].filter((k) => !ch.secretsSet.includes(k));
      if (missing.length > 0) {
        log.warn({ channelId: ch.id, missing }, 'channel has no secret set yet; not notified');
        continue;
      }
      if (await hasDelivery(db, eventId, ch.id)) continue;
      const d = await insertDelivery(db, ch.id, notice, eventId, now());
      dispatch(self, { kind: 'attempt', id: d.id });
    }
  };
  const quietUntilStable = (self: Ref<Msg>, event: StateEvent, target: Target) => {
    clearTimeout(flapping.get(target.id)?.timer);
    const timer = setTimeout(() => dispatch(self, { kind: 'stable', targetId: target.id }), opts.flapWindowMs);
    flapping.set(target.id, { event, target, timer });
  };
  const schedule = (self: Ref<Msg>, id: number, at: number) => {
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(
        () => {
          timers.delete(id);
          dispatch(self, { kind: 'attempt', id });
        },
        Math.max(0, at - now()),
      ),
    );
  };

  const ref: Ref<Msg> = spawn(
    parent,
    async (state: null, msg: Msg, ctx) => {
      try {
        if (msg.kind === 'change') {
          const e = msg.event;
          if (e.from === 'unknown' && e.to === 'up') return state;
          if (e.inMaintenance) {
            log.info({ targetId: e.targetId, to: e.to }, 'change inside a maintenance window; not notified');
            return state;
          }
          const target = msg.target;
          if (!target) return state;
          if (flapping.has(target.id)) {
            quietUntilStable(ctx.self, e, target);
            return state;
          }
          if ((await countEvents(db, target.id, e.at - opts.flapWindowMs, e.at)) > opts.flapChanges) {
            await queue(ctx.self, target.id, e.id, flapNotice('flapping', e, target, publicUrl, flap));
            quietUntilStable(ctx.self, e, target);
            log.info({ targetId: target.id }, 'target is flapping; notifications paused until it is stable');
            return state;
          }
          await queue(ctx.self, target.id, e.id, stateNotice(e, target, publicUrl));
        } else if (msg.kind === 'stable') {
          const f = flapping.get(msg.targetId);
          if (!f) return state;
          flapping.delete(msg.targetId);
          await queue(ctx.self, f.target.id, f.event.id, flapNotice('stable', f.event, f.target, publicUrl, flap));
        } else if (msg.kind === 'resume') {
          const pending = await pendingDeliveries(db);
          if (pending.length > 0) log.info({ pending: pending.length }, 'resuming pending deliveries');
          for (const d of pending) schedule(ctx.self, d.id, d.nextAttemptAt);
        } else if (msg.kind === 'attempt') {
          if (inFlight.has(msg.id)) return state;
          const d = await getDelivery(db, msg.id);
          if (!d || d.status !== 'pending') return state;
          const ch = await getChannel(db, d.channelId);
          inFlight.add(d.id);
          // not awaited: a slow receiver holds only its own attempt
          void (async () => {
            if (!ch) throw new Error('channel deleted');
            await send(sendTargetOf(box, ch), d.notice, opts.timeoutMs);
          })().then(
            () => dispatch(ctx.self, { kind: 'attempted', id: d.id, error: null }),
            (err: Error) => dispatch(ctx.self, { kind: 'attempted', id: d.id, error: err.message }),
          );
        } else {
          inFlight.delete(msg.id);
          const d = await getDelivery(db, msg.id);
          if (!d) return state;
          const t = now();
          const attempts = d.attempts + 1;
          if (msg.error === null) {
            await recordAttempt(db, d.id, { status: 'sent', attempts, nextAttemptAt: t, lastError: d.lastError }, t);
            log.info({ deliveryId: d.id, channelId: d.channelId, targetId: d.targetId, kind: d.kind, attempts }, 'notification sent');
            return state;
          }
          const giveUpAt = d.createdAt + opts.giveUpAfterMs;
          const next = Math.min(t + Math.min(opts.firstRetryMs * 2 ** (attempts - 1), opts.maxRetryMs), giveUpAt);
          const failed = t >= giveUpAt || msg.error === 'channel deleted';
          await recordAttempt(db, d.id, { status: failed ? 'failed' : 'pending', attempts, nextAttemptAt: next, lastError: msg.error }, t);
          log.warn(
            { deliveryId: d.id, channelId: d.channelId, targetId: d.targetId, attempts, error: msg.error, retryAt: failed ? null : next },
            failed ? 'notification failed; giving up' : 'notification failed; will retry',
          );
          if (!failed) schedule(ctx.self, d.id, next);
        }
      } catch (err) {
        log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'delivery bookkeeping failed');
        if (msg.kind === 'attempted' || msg.kind === 'attempt') schedule(ctx.self, msg.id, now() + opts.firstRetryMs);
        // the store was out while queueing a change: try again (each channel's delivery is stored once)
        else if ((msg.kind === 'change' && now() - msg.event.at < opts.giveUpAfterMs) || msg.kind === 'resume') {
          setTimeout(() => dispatch(ctx.self, msg), opts.firstRetryMs);
        }
      }
      return state;
    },
    'deliveries',
    { initialState: null },
  );
  dispatch(ref, { kind: 'resume' });
  return {
    notify: (event, target) => dispatch(ref, { kind: 'change', event, target }),
    stop() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      for (const f of flapping.values()) clearTimeout(f.timer);
    },
  };
}
