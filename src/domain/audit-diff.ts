/**
 * The "fields changed" of an audit entry (issue 14 §4): for each field whose value differs,
 * `{before, after}` (null when the field did not exist before or no longer exists). Values of
 * secret fields (passwords, hashes, tokens, secrets, keys of channels) are never kept: they show
 * as {@link MASK}, so the log says that a password changed but never what it is. Browser-safe.
 */

/** Shown instead of a secret value. */
export const MASK = '***';

/** Field names whose values are secrets (matched anywhere in the name, any case). */
const SECRET = /password|secret|token|hash|apikey|api_key|credential/i;

/** One field's change. */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Fields that differ between two plain objects (either may be null: a create or a delete).
 * Secret fields are masked; nested values are compared as JSON.
 */
export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    const b = before && k in before ? before[k] : null;
    const a = after && k in after ? after[k] : null;
    if (same(a, b) && !(SECRET.test(k) && before && after && k in after)) continue;
    if (SECRET.test(k)) out[k] = { before: b === null ? null : MASK, after: a === null ? null : MASK };
    else out[k] = { before: b ?? null, after: a ?? null };
  }
  return out;
}
