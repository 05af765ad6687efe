/**
 * Location and node names (issue 10): shared by the config, the target rules and the UI.
 * A location names a hub (a data centre, a VPN end); a target lists the locations that probe it,
 * and an empty list means the one location {@link DEFAULT_LOCATION}.
 */
import { z } from 'zod';

/** The location of a node without NETWATCH_LOCATION, and of a target whose list is empty. */
export const DEFAULT_LOCATION = 'default';

/** Most locations one target may list. */
export const MAX_LOCATIONS = 16;

/** 1–32 characters: letters, digits, `.`, `_`, `-`, starting with a letter or digit (safe in URLs, logs and CSV). */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** One location name (see {@link NAME_PATTERN}). */
export const locationName = z.string({ error: 'Location must be text.' }).regex(NAME_PATTERN, { error: 'Location must be 1–32 letters, digits, ".", "_" or "-", starting with a letter or digit.' });

/** A node name: the same characters as a location, up to 64 (host names may be longer than 32). */
export const nodeName = z
  .string({ error: 'Node name must be text.' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'Node name must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.' });

/** A target's `locations`: distinct names, at most {@link MAX_LOCATIONS}; absent = `[]` (= default). */
export const locationList = z
  .array(z.string({ error: 'Locations must be a list of location names.' }), { error: 'Locations must be a list of location names.' })
  .max(MAX_LOCATIONS, { error: `At most ${MAX_LOCATIONS} locations.` })
  // one message for the whole field (not `locations.2`): the editor shows the list as one input
  .superRefine((l, ctx) => {
    const bad = l.find((n) => !NAME_PATTERN.test(n));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `Location "${bad.slice(0, 40)}" must be 1–32 letters, digits, ".", "_" or "-", starting with a letter or digit.` });
    else if (new Set(l).size !== l.length) ctx.addIssue({ code: 'custom', message: 'Locations must not repeat.' });
  });

/** The locations that probe a target: its list, or `[default]` when the list is empty. */
export function effectiveLocations(locations: readonly string[]): readonly string[] {
  return locations.length === 0 ? [DEFAULT_LOCATION] : locations;
}

/** Stored form of a list (comma-joined, `''` for empty) and back; names never hold commas. */
export function joinLocations(l: readonly string[] | undefined): string {
  return (l ?? []).join(',');
}
/** @see joinLocations */
export function splitLocations(s: string | null | undefined): string[] {
  return s ? s.split(',').filter((x) => x.length > 0) : [];
}
