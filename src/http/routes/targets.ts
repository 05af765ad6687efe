/**
 * Target routes (all need a session):
 * - `GET /api/targets?q=&enabled=true|false&location=` → `{targets: [Target & {state, stateSince, flapping, lastResult, ratio24h, byLocation}]}`;
 *   `state` up/down/unknown and since when (issue 11, see actors/target-states.ts); `flapping`: more
 *   than FLAP_CHANGES changes in the last FLAP_WINDOW_MS; `byLocation` `[{location, lastResult}]`
 *   for a target probed from several locations (issue 10), else `[]`; `location` keeps the targets
 *   that location probes, `lastResult` being its own (`ratio24h` stays the all-locations figure:
 *   the rollups are per target).
 *   `q` matches name or host (substring) or the exact port. `ratio24h` = successes / measured
 *   attempts (`local_error` and maintenance windows left out) over the last 24–25 whole hours; null when none was measured.
 * - `POST /api/targets` (Target fields; `timeoutMs` optional) → 201 Target; it notifies the default channels.
 * - `GET /api/targets/:id` → Target; `PUT /api/targets/:id` (any subset of fields, merged onto the
 *   stored target, then validated as a whole) → Target; `DELETE /api/targets/:id` → 204.
 * 400 `{error:"validation", fields}` for bad input, 404 for an unknown id. Changes reach the
 * prober before the response is sent. Wire settings (issue 8): `sourceAddress` must be an address
 * of one of the host's interfaces when saved (400 naming it and listing the host's addresses);
 * IP literals (host, source address) are stored in canonical form (RFC 5952).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { issuesToFields, targetFields, targetInput } from '../../domain/target-rules.js';
import type { ProbeResult, Target } from '../../domain/types.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { StateView } from '../../actors/target-states.js';
import { FLAP_CHANGES, FLAP_WINDOW_MS, type TargetState } from '../../domain/target-state.js';
import { changeCountsSince, lastEvents, type StateEvent } from '../../store/events.js';
import { assignDefaultChannels, forgetTargetChannels } from '../../store/channels.js';
import { latestResults } from '../../store/results.js';
import { successCountsBetween, successCountsSince, type SuccessCount } from '../../store/summary.js';
import { listWindows } from '../../store/maintenance.js';
import { maintenanceIntervals } from '../../domain/maintenance.js';
import { createTarget, deleteTarget, getTarget, listTargets, updateTarget } from '../../store/targets.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { assertHostAddress } from '../host-addresses.js';
import { jsonBody, parseId, queryOf } from '../validate.js';
import { locationName } from '../../domain/location-rules.js';
import { locationStatuses } from '../location-status.js';
import { doc } from '../openapi/markers.js';
import { Target as TargetShape, TargetListItem } from '../openapi/shapes.js';

const listQuery = z.object({
  q: z.string().max(300, { error: 'Search is at most 300 characters.' }).optional(),
  enabled: z.enum(['true', 'false'], { error: 'enabled must be true or false.' }).optional(),
  location: locationName.optional(),
});

const DAY_MS = 86_400_000;

/** The fields a client may send, from a stored target. */
function editable(t: Target) {
  const { name, host, port, intervalSeconds, timeoutMs, retentionValue, retentionUnit, enabled, failureThreshold, recoveryThreshold } = t;
  const { sourceAddress, sourcePortMin, sourcePortMax, closeMode, addressFamily, addressPolicy, locations } = t;
  return {
    name,
    host,
    port,
    intervalSeconds,
    timeoutMs,
    retentionValue,
    retentionUnit,
    enabled,
    failureThreshold,
    recoveryThreshold,
    sourceAddress,
    sourcePortMin,
    sourcePortMax,
    closeMode,
    addressFamily,
    addressPolicy,
    locations,
  };
}

/**
 * A target's `state` and `stateSince` (UTC epoch ms, null when unknown): the state actor's when it
 * tracks the target, else the latest stored change; disabled targets are `unknown` (issue 11).
 */
function stateOf(t: Target, live: StateView | undefined, last: StateEvent | undefined): { state: TargetState; stateSince: number | null } {
  if (!t.enabled) return { state: 'unknown', stateSince: null };
  if (live) return { state: live.state, stateSince: live.since };
  return last ? { state: last.to, stateSince: last.streakStartedAt } : { state: 'unknown', stateSince: null };
}

/**
 * Takes the attempts and successes inside maintenance windows out of the 24 h counts (issue 11:
 * uptime over monitored time only), per minute bucket. `counts` is changed in place.
 */
export async function leaveOutMaintenance(db: AppDeps['db'], counts: Map<number, SuccessCount>, targets: readonly Target[], since: number, now: number) {
  const windows = await listWindows(db);
  if (windows.length === 0) return;
  const from = since - (since % 3_600_000);
  for (const t of targets) {
    const n = counts.get(t.id);
    if (!n) continue;
    for (const [s, e] of maintenanceIntervals(windows, t.id, from, now + 60_000)) {
      const m = await successCountsBetween(db, t.id, s - (s % 60_000), e);
      n.attempts -= m.attempts;
      n.successes -= m.successes;
    }
  }
}

/** Builds the target routes (mounted at /api/targets). */
export function targetRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const applied = async () => deps.actors?.reconcile();
  const mustGet = async (raw: string) => {
    const id = parseId(raw);
    const t = id === undefined ? undefined : await getTarget(deps.db, id);
    if (!t) throw new NotFoundError('Target');
    return t;
  };

  app.get(
    '/',
    doc({ summary: 'List targets with their state, last result and 24 h success ratio', tags: ['targets'], ok: z.object({ targets: z.array(TargetListItem) }) }),
    queryOf(listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const targets = await listTargets(deps.db, { q: q.q, enabled: q.enabled === undefined ? undefined : q.enabled === 'true' });
      // Newest results: this process's targets from the latest-result map (seeded from the database
      // once per target and process); without actors, and for another node's targets (issue 10:
      // several nodes), from the database every time.
      const latest = deps.actors?.latest;
      const mine = deps.node?.single === false ? deps.node.probing() : null;
      const elsewhere = (id: number) => mine !== null && !mine.has(id);
      const fromMap = (id: number) => latest !== undefined && !elsewhere(id);
      if (latest)
        await latest.seed(
          deps.db,
          targets.filter((t) => fromMap(t.id)).map((t) => t.id),
        );
      const direct = targets.filter((t) => !fromMap(t.id)).map((t) => t.id);
      const cold = direct.length > 0 ? await latestResults(deps.db, direct) : new Map<number, ProbeResult>();
      const counts = await successCountsSince(deps.db, deps.now() - DAY_MS);
      await leaveOutMaintenance(deps.db, counts, targets, deps.now() - DAY_MS, deps.now());
      const stored = await lastEvents(deps.db);
      const changes = await changeCountsSince(deps.db, deps.now() - FLAP_WINDOW_MS);
      const { byTarget, kept } = await locationStatuses(deps.db, targets, q.location);
      return c.json({
        targets: targets
          .filter((t) => kept.has(t.id))
          .map((t) => {
            const n = counts.get(t.id);
            const byLocation = byTarget.get(t.id) ?? [];
            const last = q.location !== undefined ? (byLocation[0]?.lastResult ?? null) : ((fromMap(t.id) ? latest?.get(t.id) : cold.get(t.id)) ?? null);
            return {
              ...t,
              ...stateOf(t, deps.actors?.states?.get(t.id), stored.get(t.id)),
              flapping: t.enabled && (changes.get(t.id) ?? 0) > FLAP_CHANGES,
              lastResult: last,
              ratio24h: n && n.attempts > 0 ? n.successes / n.attempts : null,
              byLocation,
            };
          }),
      });
    },
  );

  app.post('/', doc({ summary: 'Create a target', tags: ['targets'], ok: TargetShape, status: 201 }), jsonBody(targetInput), async (c) => {
    const input = c.req.valid('json');
    assertHostAddress(input.sourceAddress, deps.interfaces);
    const t = await deps.db.tx(async (db) => {
      const t = await createTarget(db, input, deps.now());
      await assignDefaultChannels(db, t.id);
      await recordAudit(c, deps, { action: 'create', entity: 'target', entityId: t.id, after: editable(t), db });
      return t;
    });
    await applied();
    return c.json(t, 201);
  });

  app.get('/:id', doc({ summary: 'One target', tags: ['targets'], ok: TargetShape, errors: [404] }), async (c) => c.json(await mustGet(c.req.param('id'))));

  app.put('/:id', doc({ summary: 'Change a target (any subset of fields)', tags: ['targets'], ok: TargetShape, errors: [404] }), jsonBody(targetFields.partial().strict()), async (c) => {
    const current = await mustGet(c.req.param('id'));
    const merged = targetInput.safeParse({ ...editable(current), ...c.req.valid('json') });
    if (!merged.success) throw new ValidationError(issuesToFields(merged.error.issues));
    // checked when it changes: a stored address that has gone from the host can still be edited around
    if (merged.data.sourceAddress !== current.sourceAddress) assertHostAddress(merged.data.sourceAddress, deps.interfaces);
    const t = await deps.db.tx(async (db) => {
      const t = await updateTarget(db, current.id, merged.data, deps.now());
      if (!t) throw new NotFoundError('Target');
      await recordAudit(c, deps, { action: 'update', entity: 'target', entityId: t.id, before: editable(current), after: editable(t), db });
      return t;
    });
    await applied();
    return c.json(t);
  });

  app.delete('/:id', doc({ summary: 'Delete a target and its history', tags: ['targets'], status: 204, errors: [404] }), async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === undefined) throw new NotFoundError('Target');
    await deps.db.tx(async (db) => {
      const before = await getTarget(db, id);
      if (!before || !(await deleteTarget(db, id))) throw new NotFoundError('Target');
      await recordAudit(c, deps, { action: 'delete', entity: 'target', entityId: id, before: editable(before), db });
    });
    deps.actors?.latest.forget(id);
    await forgetTargetChannels(deps.db, id);
    await applied();
    return c.body(null, 204);
  });

  return app;
}
