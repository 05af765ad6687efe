/**
 * The live dashboard's wire format (issue 12 §4), shared by the server (src/live/) and the UI
 * (ui/src/lib/liveRows.ts): a columnar snapshot of every target, then one delta per second over
 * Server-Sent Events. Columnar arrays and delta-encoded ids keep 10,000 targets at 1 s under
 * 200 KB/s: a target appears in a delta at most once per second, and only with what the dashboard
 * shows (connect time rounded to its display precision, start time to the second).
 */
import { OUTCOMES, type Outcome } from './types.js';
import { TARGET_STATES, type TargetState } from './target-state.js';

/** SSE event names: `delta` (a {@link LiveDelta}), `resync` (fetch a fresh snapshot and reconnect). */
export const LIVE_EVENTS = { delta: 'delta', resync: 'resync' } as const;

/** The latest result as the dashboard shows it. `startedAt` UTC epoch ms (whole seconds in deltas). */
export interface LiveResult {
  startedAt: number;
  outcome: Outcome;
  /** Connect time, ms, rounded as {@link roundConnect}; null when no handshake happened. */
  connectMs: number | null;
  errorCode: string | null;
}

/**
 * A connect time rounded to what the dashboard shows (ui formatConnectMs: 2 decimals below
 * 10 ms, 1 below 100 ms, whole ms above); null stays null.
 */
export function roundConnect(ms: number | null): number | null {
  if (ms === null) return null;
  if (ms < 10) return Math.round(ms * 100) / 100;
  if (ms < 100) return Math.round(ms * 10) / 10;
  return Math.round(ms);
}

/** Outcome ↔ its index in OUTCOMES (the wire's outcome code). */
export const outcomeCode = (o: Outcome): number => OUTCOMES.indexOf(o);
/** @returns the outcome of a code; `error` for an unknown code (a newer server). */
export const outcomeOf = (code: number): Outcome => OUTCOMES[code] ?? 'error';
/** State ↔ its index in TARGET_STATES. */
export const stateCode = (s: TargetState): number => TARGET_STATES.indexOf(s);
/** @returns the state of a code; `unknown` for an unknown code. */
export const stateOf = (code: number): TargetState => TARGET_STATES[code] ?? 'unknown';

/** Ascending ids → first id, then differences (mostly 1: two bytes each in JSON). */
export function deltaIds(ids: readonly number[]): number[] {
  const out = new Array<number>(ids.length);
  let prev = 0;
  for (let i = 0; i < ids.length; i++) {
    out[i] = ids[i]! - prev;
    prev = ids[i]!;
  }
  return out;
}

/** Inverse of {@link deltaIds}. */
export function undeltaIds(d: readonly number[]): number[] {
  const out = new Array<number>(d.length);
  let acc = 0;
  for (let i = 0; i < d.length; i++) out[i] = acc += d[i]!;
  return out;
}

/**
 * One second of changes. `t` is the frame's time, UTC epoch s; ids are delta-encoded
 * ({@link deltaIds}); `a` is how many seconds before `t` each result started.
 * - `r`: new results whose outcome, rounded connect time or error code changed: outcome codes
 *   `o`, connect times `c` (null: none), error codes `e` as position → code (only non-null ones);
 * - `n`: new results that show the same values as the target's previous one (only the time moves);
 * - `s`: state changes: state codes `v`, since when `since` (UTC epoch ms, null when unknown).
 */
export interface LiveDelta {
  t: number;
  r?: { i: number[]; a: number[]; o: number[]; c: (number | null)[]; e?: Record<number, string> };
  n?: { i: number[]; a: number[] };
  s?: { i: number[]; v: number[]; since: (number | null)[] };
}

/** One location's newest result of a target probed from several locations (issue 10). */
export interface LiveLocation {
  location: string;
  lastResult: LiveResult | null;
}

/**
 * The initial compact list (GET /api/events/snapshot): one column per field, row k of every column
 * is one target, ordered by id. `cursor` names the last delta the list already contains: open the
 * stream with `?after=<cursor>` (or Last-Event-ID: the event ids are cursors). `state` codes as {@link stateCode}; `lastAt` UTC epoch ms (null: no
 * result); `outcome` codes (−1: none); `ratio` the 24 h success ratio rounded to 5 decimals (null:
 * nothing measured); `enabled`/`flapping` 1 or 0; `errorCode`, `locations` (the target's own list)
 * and `byLocation` (targets probed from several locations) by row position, only rows that have one.
 */
export interface LiveSnapshot {
  cursor: string;
  id: number[];
  name: string[];
  host: string[];
  port: number[];
  enabled: number[];
  state: number[];
  stateSince: (number | null)[];
  flapping: number[];
  lastAt: (number | null)[];
  outcome: number[];
  connectMs: (number | null)[];
  errorCode: Record<number, string>;
  ratio: (number | null)[];
  locations: Record<number, string[]>;
  byLocation: Record<number, LiveLocation[]>;
}

/** The dashboard's view of a result (rounded connect time). */
export function liveResult(r: { startedAt: number; outcome: Outcome; connectMs: number | null; errorCode: string | null }): LiveResult {
  return { startedAt: r.startedAt, outcome: r.outcome, connectMs: roundConnect(r.connectMs), errorCode: r.errorCode };
}
