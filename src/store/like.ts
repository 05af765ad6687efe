/**
 * Substring search with SQL `LIKE`, the same on both stores. `%` and `_` are LIKE's wildcards
 * (ISO/IEC 9075 §8.5); a term holding them must match them literally, so each is prefixed with the
 * escape character `!`, which is itself escaped, and every query names it with `ESCAPE '!'`.
 * (Not backslash: it means something else under MySQL's NO_BACKSLASH_ESCAPES.)
 */

/**
 * The bound value for `LOWER(column) LIKE ? ESCAPE '!'` matching rows whose lower-cased column
 * contains `term` (lower-cased here); e.g. `50%_off` → `%50!%!_off%`.
 */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
