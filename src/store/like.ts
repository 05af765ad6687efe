/**
 * Substring search with SQL `LIKE`, the same on both stores: case-insensitive by Unicode lower
 * case, accent- and width-sensitive (`cafe` does not find `Café`).
 * - `%` and `_` are LIKE's wildcards (ISO/IEC 9075 §8.5); a term holding them must match them
 *   literally, so each is prefixed with the escape character `!`, which is itself escaped, and the
 *   clause names it with `ESCAPE '!'` (not backslash: it means something else under MySQL's
 *   NO_BACKSLASH_ESCAPES).
 * - MySQL's `LOWER()` is Unicode-aware but the columns' `utf8mb4_unicode_ci` collation would also
 *   fold accents, so the comparison is made `COLLATE utf8mb4_bin`. SQLite's built-in `LOWER()`
 *   folds ASCII only, so sqlite.ts replaces it with JavaScript's `toLowerCase()`.
 */
import { SQL, type SQLStatement } from 'sql-template-strings';
import type { DialectName } from './db.js';

/** Columns searched by substring (constant names, never input). */
export type SearchColumn = 'name' | 'host' | 'username';

/**
 * The bound pattern matching a lower-cased column that contains `term` (lower-cased here);
 * e.g. `50%_off` → `%50!%!_off%`.
 */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** `LOWER(column) LIKE ? ESCAPE '!'` for `term` on `dialect`, as a statement to append. */
export function contains(dialect: DialectName, column: SearchColumn, term: string): SQLStatement {
  const q = SQL``.append(`LOWER(${column})`);
  if (dialect === 'mysql') q.append(' COLLATE utf8mb4_bin');
  return q.append(SQL` LIKE ${containsPattern(term)} ESCAPE '!'`);
}
