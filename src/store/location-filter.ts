/**
 * The one way results are narrowed to a location (issue 10: history, probe log, CSV, raw mode,
 * compare and the wall take `location` and then count only what that location probed). Only raw
 * `results` rows say where a probe came from; the rollups are per target (all locations together),
 * so a location-filtered read is always a read of raw rows.
 */
import { SQL, type SQLStatement } from 'sql-template-strings';

/**
 * ` AND location = ?` (the value bound) when `location` is given, else an empty statement.
 * @param location a location name (already validated by `locationName`), or undefined for every location
 */
export function andLocation(location: string | undefined): SQLStatement {
  return location === undefined ? SQL`` : SQL` AND location = ${location}`;
}
