/**
 * The live dashboard's initial compact list (issue 12 §4): every target (or those `location`
 * probes) with what GET /api/targets gives the dashboard, as columns ({@link LiveSnapshot}).
 * The same rules as routes/targets.ts: state from the state actor, else the latest stored change;
 * disabled targets `unknown`; `flapping` over FLAP_WINDOW_MS; the 24 h ratio without maintenance
 * windows; with a location, that location's newest result.
 */
import { FLAP_CHANGES, FLAP_WINDOW_MS } from '../domain/target-state.js';
import { liveResult, outcomeCode, stateCode, type LiveSnapshot } from '../domain/live-frame.js';
import type { ProbeResult, Target } from '../domain/types.js';
import type { AppDeps } from '../http/deps.js';
import { locationStatuses } from '../http/location-status.js';
import { leaveOutMaintenance } from '../http/routes/targets.js';
import { changeCountsSince, lastEvents } from '../store/events.js';
import { latestResults } from '../store/results.js';
import type { SuccessCount } from '../store/summary.js';
import type { LatestView } from './latest.js';

const DAY_MS = 86_400_000;

/** Rounds a ratio to 5 decimals (the dashboard shows 2 of its percentage). */
const ratio5 = (x: number) => Math.round(x * 1e5) / 1e5;

/**
 * Builds the snapshot of `targets` (ordered by id here). `cursor` is the hub's cursor read before
 * anything else, so every later delta is replayed on top. Newest results as routes/targets.ts:
 * this process's targets from the latest-result map (seeded from the store once per target and
 * process); without actors, and for another node's targets (issue 10), from the store.
 * `counts`: successes and attempts per target since 24 h ago (changed here: maintenance left out).
 */
export async function buildSnapshot(deps: AppDeps, latest: LatestView, all: readonly Target[], cursor: string, counts: Map<number, SuccessCount>, location?: string): Promise<LiveSnapshot> {
  const now = deps.now();
  const mine = deps.node?.single === false ? deps.node.probing() : null;
  const elsewhere = (id: number) => mine !== null && !mine.has(id);
  const fromMap = (id: number) => latest.present() && !elsewhere(id);
  await latest.seed(
    deps.db,
    all.filter((t) => fromMap(t.id)).map((t) => t.id),
  );
  const direct = all.filter((t) => !fromMap(t.id)).map((t) => t.id);
  const cold = direct.length > 0 ? await latestResults(deps.db, direct) : new Map<number, ProbeResult>();
  await leaveOutMaintenance(deps.db, counts, all, now - DAY_MS, now);
  const stored = await lastEvents(deps.db);
  const changes = await changeCountsSince(deps.db, now - FLAP_WINDOW_MS);
  const { byTarget, kept } = await locationStatuses(deps.db, all, location);
  const targets = all.filter((t) => kept.has(t.id)).sort((a, b) => a.id - b.id);
  const s: LiveSnapshot = {
    cursor,
    id: [],
    name: [],
    host: [],
    port: [],
    enabled: [],
    state: [],
    stateSince: [],
    flapping: [],
    lastAt: [],
    outcome: [],
    connectMs: [],
    errorCode: {},
    ratio: [],
    locations: {},
    byLocation: {},
  };
  targets.forEach((t, k) => {
    const byLocation = byTarget.get(t.id) ?? [];
    const last = location !== undefined ? (byLocation[0]?.lastResult ?? null) : ((fromMap(t.id) ? latest.get(t.id) : cold.get(t.id)) ?? null);
    const { state, since } = stateNow(t, deps, stored.get(t.id));
    const n = counts.get(t.id);
    s.id.push(t.id);
    s.name.push(t.name);
    s.host.push(t.host);
    s.port.push(t.port);
    s.enabled.push(t.enabled ? 1 : 0);
    s.state.push(stateCode(state));
    s.stateSince.push(since);
    s.flapping.push(t.enabled && (changes.get(t.id) ?? 0) > FLAP_CHANGES ? 1 : 0);
    const view = last && liveResult(last);
    s.lastAt.push(view?.startedAt ?? null);
    s.outcome.push(view ? outcomeCode(view.outcome) : -1);
    s.connectMs.push(view?.connectMs ?? null);
    if (view?.errorCode) s.errorCode[k] = view.errorCode;
    s.ratio.push(n && n.attempts > 0 ? ratio5(n.successes / n.attempts) : null);
    if (t.locations.length > 0) s.locations[k] = t.locations;
    if (byLocation.length > 1) s.byLocation[k] = byLocation.map((l) => ({ location: l.location, lastResult: l.lastResult && liveResult(l.lastResult) }));
  });
  return s;
}

/** A target's state and since when (see routes/targets.ts stateOf). */
function stateNow(t: Target, deps: AppDeps, last: { to: 'up' | 'down' | 'unknown'; streakStartedAt: number } | undefined) {
  if (!t.enabled) return { state: 'unknown' as const, since: null };
  const live = deps.actors?.states?.get(t.id);
  if (live) return { state: live.state, since: live.since };
  return last ? { state: last.to, since: last.streakStartedAt } : { state: 'unknown' as const, since: null };
}
