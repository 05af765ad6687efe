/**
 * The one place the store spells the failure outcomes: rollup tables (`results_1m`, `results_1h`)
 * have one count column per outcome in FAILURE_OUTCOMES (src/domain/types.ts), named as the
 * outcome. Every column list, sum, upsert increment and count-by-outcome the store writes comes from
 * here, so adding an outcome is one edit to OUTCOMES plus a migration adding its column (both
 * dialects, default 0). Column names come from the constant list, never from input.
 */
import type { SQLStatement } from 'sql-template-strings';
import { SQL } from 'sql-template-strings';
import { FAILURE_OUTCOMES, UNMEASURED_OUTCOMES, type FailureOutcome } from '../domain/types.js';

/** A count per failure outcome (results of that outcome), keyed by outcome. */
export type OutcomeCounts = Record<FailureOutcome, number>;

/** Every failure outcome with count 0. */
export function zeroCounts(): OutcomeCounts {
  const c = {} as OutcomeCounts;
  for (const o of FAILURE_OUTCOMES) c[o] = 0;
  return c;
}

/**
 * SQL expression over one rollup row: its attempts that measured the target (`attempts` minus the
 * UNMEASURED_OUTCOMES columns, e.g. `attempts - local_error`), the denominator of success ratios.
 */
export const MEASURED_SQL = ['attempts', ...UNMEASURED_OUTCOMES].join(' - ');

/** `refused, timeout, …`: the outcome count columns, in FAILURE_OUTCOMES order. */
export const OUTCOME_COLUMN_LIST = FAILURE_OUTCOMES.join(', ');

/**
 * `refused = refused + <incoming refused>, …` for every outcome column: the count part of a rollup
 * upsert. `incoming` spells the row being inserted in the dialect (MySQL `VALUES(c)`, SQLite
 * `excluded.c`).
 */
export function outcomeIncrements(incoming: (column: FailureOutcome) => string): string {
  return FAILURE_OUTCOMES.map((o) => `${o} = ${o} + ${incoming(o)}`).join(', ');
}

/** Appends `, SUM(refused) AS refused, …` (rollup rows grouped); @returns `q`. */
export function appendOutcomeSums(q: SQLStatement): SQLStatement {
  for (const o of FAILURE_OUTCOMES) q.append(`, SUM(${o}) AS ${o}`);
  return q;
}

/**
 * Appends `, SUM(CASE WHEN outcome = ? THEN 1 ELSE 0 END) [AS refused], …` (raw `results` rows
 * grouped; the outcome bound); @returns `q`.
 */
export function appendOutcomeCounts(q: SQLStatement, named: boolean): SQLStatement {
  for (const o of FAILURE_OUTCOMES) {
    q.append(SQL`, SUM(CASE WHEN outcome = ${o} THEN 1 ELSE 0 END)`);
    if (named) q.append(` AS ${o}`);
  }
  return q;
}
