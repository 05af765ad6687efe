/**
 * How the UI shows an outcome: `ok` (success), `local` (an outcome that measured nothing about the
 * target, i.e. UNMEASURED_OUTCOMES such as `local_error`: NetWatch's own fault) or `fail`.
 * The probe log and the dashboard's status pill both read it, so they cannot disagree.
 */
import { UNMEASURED_OUTCOMES, type Outcome } from '../types.ts';

/** Display kind of an outcome; picks the CSS class `outcome-<kind>`. */
export type OutcomeKind = 'ok' | 'local' | 'fail';

const unmeasured: ReadonlySet<Outcome> = new Set(UNMEASURED_OUTCOMES);

/** The display kind of `o`. */
export function outcomeKind(o: Outcome): OutcomeKind {
  if (o === 'success') return 'ok';
  return unmeasured.has(o) ? 'local' : 'fail';
}

/** The outcome in words: underscores become spaces (`dns_error` → `dns error`). */
export function outcomeLabel(o: Outcome): string {
  return o.replaceAll('_', ' ');
}
