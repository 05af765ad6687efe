/**
 * Per-location status for the dashboard (issue 10): for targets probed from more than one location,
 * the newest result of each location; with a `location` filter, only the targets that location
 * probes, each with that location's newest result as `lastResult`.
 */
import { effectiveLocations } from '../domain/location-rules.js';
import type { ProbeResult, Target } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { latestByLocation } from '../store/results.js';

/** One location's newest result of a target (`lastResult` null: none stored yet). */
export interface LocationStatus {
  location: string;
  lastResult: ProbeResult | null;
}

/**
 * `byLocation` for each target with two or more locations (else `[]`), and, when `location` is
 * given, the targets that location probes with that location's newest result.
 * @returns target id → statuses, and the target ids kept by the filter (all when no filter)
 */
export async function locationStatuses(
  db: Db,
  targets: readonly Target[],
  location?: string,
): Promise<{
  byTarget: Map<number, LocationStatus[]>;
  kept: Set<number>;
}> {
  const kept = new Set(targets.filter((t) => location === undefined || effectiveLocations(t.locations).includes(location)).map((t) => t.id));
  const pairs = targets
    .filter((t) => kept.has(t.id) && (effectiveLocations(t.locations).length > 1 || location !== undefined))
    .flatMap((t) => (location !== undefined ? [location] : effectiveLocations(t.locations)).map((l) => ({ targetId: t.id, location: l })));
  const latest = await latestByLocation(db, pairs);
  const byTarget = new Map<number, LocationStatus[]>();
  for (const t of targets) {
    if (!kept.has(t.id)) continue;
    const locs = effectiveLocations(t.locations);
    byTarget.set(t.id, locs.length > 1 ? locs.map((l) => ({ location: l, lastResult: latest.get(`${t.id}|${l}`) ?? null })) : []);
    if (location !== undefined) byTarget.set(t.id, [{ location, lastResult: latest.get(`${t.id}|${location}`) ?? null }]);
  }
  return { byTarget, kept };
}
