/**
 * Supervisor actor: makes the running target actors match the enabled targets in the database.
 * Reconciles on start, on every change made through the API (a `reconcile` message) and every
 * 5 s (changes by another process): new → spawn, probe settings changed → reschedule at once,
 * disabled or deleted → stop. On a wall-clock step (`clockStep`, from the clock watcher) it tells
 * every target to plan its next slot on the new clock.
 */
import { dispatch, spawn, stop, type ActorSystemRef, type Ref } from 'nact';
import type { Target } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { listEnabledTargets } from '../store/targets.js';
import { probeKey, spawnTarget, type TargetDeps, type TargetMsg } from './target.js';

/**
 * Messages the supervisor takes. `done` is called after that reconcile finishes; `clockStep`
 * says the wall clock jumped by `stepMs` (positive: forwards).
 */
export type SupervisorMsg = { kind: 'reconcile'; done?: (err?: Error) => void } | { kind: 'clockStep'; stepMs: number };

interface Child {
  ref: Ref<TargetMsg>;
  key: string;
}

/** What the supervisor needs: its children's deps, and who to tell the enabled targets after each reconcile. */
export interface SupervisorDeps extends TargetDeps {
  onReconciled?: (enabled: readonly Target[]) => void;
  /** Which enabled targets this node probes (src/nodes/coordinator.ts); default all. */
  select?: (enabled: readonly Target[]) => Target[];
}

/** Spawns the supervisor and runs a first reconcile. */
export function spawnSupervisor(parent: ActorSystemRef, db: Db, deps: SupervisorDeps): Ref<SupervisorMsg> {
  const ref = spawn(
    parent,
    async (children: Map<number, Child>, msg: SupervisorMsg, ctx) => {
      if (msg.kind === 'clockStep') {
        for (const child of children.values()) dispatch(child.ref, { kind: 'realign' });
        deps.log.warn({ stepMs: msg.stepMs, targets: children.size }, 'wall clock stepped; probes realigned to the new clock');
        return children;
      }
      let targets: Target[];
      try {
        targets = await listEnabledTargets(db);
        if (deps.select) targets = deps.select(targets);
      } catch (err) {
        deps.log.warn({ err }, 'reconcile: could not read targets; keeping the running set');
        msg.done?.(err as Error);
        return children;
      }
      const wanted = new Map(targets.map((t) => [t.id, t]));
      for (const [id, child] of children) {
        if (!wanted.has(id)) {
          stop(child.ref);
          children.delete(id);
          deps.log.info({ targetId: id }, 'target stopped');
        }
      }
      for (const t of targets) {
        const child = children.get(t.id);
        const key = probeKey(t);
        if (!child) {
          children.set(t.id, { ref: spawnTarget(ctx.self, t, deps), key });
          deps.log.info({ targetId: t.id, host: t.host, port: t.port, intervalSeconds: t.intervalSeconds }, 'target started');
        } else if (child.key !== key) {
          child.key = key;
          dispatch(child.ref, { kind: 'configure', target: t });
          deps.log.info({ targetId: t.id, host: t.host, port: t.port, intervalSeconds: t.intervalSeconds }, 'target rescheduled');
        }
      }
      deps.onReconciled?.(targets);
      msg.done?.();
      return children;
    },
    'supervisor',
    {
      initialStateFunc: () => new Map<number, Child>(),
      onCrash: (_msg, err, ctx) => {
        deps.log.error({ err }, 'supervisor crashed; resuming');
        return ctx.resume;
      },
    },
  );
  dispatch(ref, { kind: 'reconcile' });
  return ref;
}
