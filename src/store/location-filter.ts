/**
 * The one way results are narrowed to a location (issue 10: history, probe log, CSV, raw mode,
 * compare and the wall take `location` and then count only what that location probed). Only raw
 * `results` rows say where a probe came from; the rollups are per target (all locations together),
 * so a location-filtered read is always a read of raw rows. A filter naming no known location is a
 * 400 ({@link assertKnownLocation}, run by every query validator: http/validate.ts).
 */
import { SQL, type SQLStatement } from 'sql-template-strings';
import { effectiveLocations, splitLocations } from '../domain/location-rules.js';
import { ValidationError } from '../errors.js';
import type { Db } from './db.js';

/**
 * ` AND location = ?` (the value bound) when `location` is given, else an empty statement.
 * @param location a location name (already validated by `locationName`), or undefined for every location
 */
export function andLocation(location: string | undefined): SQLStatement {
  return location === undefined ? SQL`` : SQL` AND location = ${location}`;
}

/** Names listed in an unknown-location message, at most. */
const LISTED = 20;

/**
 * The locations NetWatch knows: those of the targets (an empty list meaning `default`,
 * domain/location-rules.ts) and of the nodes sharing the database (up or down), sorted.
 * @throws store errors
 */
export async function knownLocations(db: Db): Promise<string[]> {
  const targets = await db.all<{ locations: string | null }>(SQL`SELECT DISTINCT locations FROM targets`);
  const nodes = await db.all<{ location: string }>(SQL`SELECT DISTINCT location FROM nodes`);
  const all = new Set([...targets.flatMap((t) => effectiveLocations(splitLocations(t.locations))), ...nodes.map((n) => n.location)]);
  return [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The one check of a `location` filter (history, probe log, CSV, charts, wall, dashboard list,
 * live): a name no target or node has is a typo, not an empty answer.
 * @throws {ValidationError} on `field` naming the known locations (at most {@link LISTED})
 */
export async function assertKnownLocation(db: Db, location: string | undefined, field = 'location'): Promise<void> {
  if (location === undefined) return;
  const known = await knownLocations(db);
  if (known.includes(location)) return;
  const list = known.length > LISTED ? `${known.slice(0, LISTED).join(', ')} and ${known.length - LISTED} more` : known.join(', ');
  throw new ValidationError({ [field]: known.length ? `Unknown location "${location}"; known locations: ${list}.` : `Unknown location "${location}"; no target or node has a location yet.` });
}
