/** The `settings` table: small named values NetWatch keeps for itself (e.g. the generated session secret). */
import { SQL } from 'sql-template-strings';
import type { Db } from './db.js';

/** A setting's value, or undefined. */
export async function getSetting(db: Db, name: string): Promise<string | undefined> {
  return (await db.get<{ value: string }>(SQL`SELECT value FROM settings WHERE name = ${name}`))?.value;
}

/**
 * Returns the stored value of `name`, storing `make()` first when there is none.
 * Two processes racing agree on one value (the first insert wins).
 */
export async function getOrCreateSetting(db: Db, name: string, make: () => string): Promise<string> {
  const existing = await getSetting(db, name);
  if (existing !== undefined) return existing;
  try {
    await db.run(SQL`INSERT INTO settings (name, value) VALUES (${name}, ${make()})`);
  } catch {
    // another process inserted it first
  }
  const value = await getSetting(db, name);
  if (value === undefined) throw new Error(`setting ${name} could not be stored`);
  return value;
}
