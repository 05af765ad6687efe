/**
 * Shapes of the JSON the NetWatch API returns. The server's own shapes (src/domain/types.ts,
 * browser-safe) are re-exported so UI and API cannot drift apart; UI-only shapes are added here.
 * Times are UTC epoch milliseconds unless a name says otherwise.
 */
import type { HistoryBucket, ProbeResult, Target } from '../../src/domain/types.ts';

export { FAILURE_OUTCOMES, UNMEASURED_OUTCOMES, measuredAttempts } from '../../src/domain/types.ts';
export type { FailureOutcome, HealthReport, Outcome, ProbeResult, Role, Target, User } from '../../src/domain/types.ts';
export { ROLES } from '../../src/domain/types.ts';
import type { TargetState } from '../../src/domain/target-state.ts';
export type { TargetState } from '../../src/domain/target-state.ts';
export type { StateEvent, Outage } from '../../src/domain/target-state.ts';
export type { WireFilters } from '../../src/domain/wire-filters.ts';

/** A target row of GET /api/targets, with its latest result and 24 h ratio. */
export interface TargetRow extends Target {
  /** up / down / unknown (issue 11) and since when, UTC epoch ms (null when unknown). */
  state: TargetState;
  stateSince: number | null;
  /** Changed state more than 5 times in the last 10 min (issue 11). */
  flapping: boolean;
  lastResult: ProbeResult | null;
  ratio24h: number | null;
  /** Each location's newest result, for a target probed from several locations (issue 10); else empty. */
  byLocation?: { location: string; lastResult: ProbeResult | null }[];
}

/** The body the UI sends to create or update a target: a target's editable fields (derived, so they cannot drift). */
export type TargetBody = Omit<Target, 'id' | 'effectiveTimeoutMs' | 'createdAt' | 'updatedAt'>;

/**
 * One time bucket of GET /api/targets/:id/history: from `t` to the next bucket's `t` (`step`
 * long, except where a DST change makes a local day or hour longer or shorter).
 */
export type Bucket = HistoryBucket;

/** Response of GET /api/targets/:id/history. */
export interface History {
  from: number;
  to: number;
  /** Bucket width chosen by the server, seconds (on the local clock of `tz`). */
  step: number;
  /** IANA time zone the buckets are aligned to. */
  tz: string;
  buckets: Bucket[];
  /** The same buckets as columns, as the server sent them (format=columns). */
  columns?: HistoryColumnsResponse;
}

/** Response of GET /api/targets/:id/history?format=columns (src/domain/history-columns.ts). */
export type HistoryColumnsResponse = import('../../src/domain/history-columns.ts').HistoryColumns & { from: number; to: number; step: number; tz: string };

/** Response of GET /api/targets/:id/wire (see src/http/routes/wire.ts). */
export interface WireView {
  /** The next 10 send times, UTC epoch ms. */
  nextSlots: number[];
  /** What the host resolves to now (IP literals). */
  addresses: string[];
  /** Why resolution failed, else null. */
  dnsError: string | null;
  filters: import('../../src/domain/wire-filters.ts').WireFilters;
}

/** Response of GET /api/sparklines. */
export interface Sparklines {
  from: number;
  to: number;
  step: number;
  series: Record<string, (number | null)[]>;
}

/** A target as compare and the wall name it. */
export interface ChartTarget {
  id: number;
  name: string;
  host: string;
  port: number;
  enabled: boolean;
}

/** Response of GET /api/charts/compare (src/http/routes/charts.ts): one array entry per bucket, null for gaps. */
export interface Compare {
  from: number;
  to: number;
  step: number;
  tz: string;
  t: number[];
  targets: (ChartTarget & {
    attempts: (number | null)[];
    measured: (number | null)[];
    successes: (number | null)[];
    ratio: (number | null)[];
    connectAvg: (number | null)[];
  })[];
}

/** Response of GET /api/charts/wall: counts flat and target-major (cell j of target k at k × count + j). */
export interface Wall {
  from: number;
  to: number;
  step: number;
  count: number;
  targets: ChartTarget[];
  attempts: (number | null)[];
  measured: (number | null)[];
  successes: (number | null)[];
}

/** `GET /api/nodes` (issue 10). Times: database-clock UTC epoch ms. */
export interface NodesReport {
  store: 'mysql' | 'sqlite';
  /** SQLite: this is the only node. */
  single: boolean;
  self: { name: string; location: string } | null;
  now: number;
  nodes: (import('../../src/domain/nodes.ts').NodeRow & { up: boolean; heartbeatAgeMs: number })[];
}
