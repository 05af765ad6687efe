/**
 * Shapes of the JSON the NetWatch API returns (see the API contract in the issue).
 * Times are UTC epoch milliseconds unless a name says otherwise.
 */
import type { RetentionUnit } from '../../src/domain/target-rules.ts';

/** Outcome of one TCP connect probe. */
export type Outcome = 'success' | 'refused' | 'timeout' | 'dns_error' | 'unreachable' | 'reset' | 'error';

/** Failure outcomes, in the order charts stack them. */
export const FAILURE_OUTCOMES = ['refused', 'timeout', 'dns_error', 'unreachable', 'reset', 'error'] as const;
/** One of {@link FAILURE_OUTCOMES}. */
export type FailureOutcome = (typeof FAILURE_OUTCOMES)[number];

/** A logged-in user as the API returns it. */
export interface User {
  id: number;
  username: string;
  createdAt: number;
}

/** A monitored host:port. */
export interface Target {
  id: number;
  name: string;
  host: string;
  port: number;
  intervalSeconds: number;
  /** Explicit timeout, ms; null means the default min(interval, 60 s). */
  timeoutMs: number | null;
  effectiveTimeoutMs: number;
  retentionValue: number;
  retentionUnit: RetentionUnit;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** One probe result. */
export interface ProbeResult {
  targetId: number;
  startedAt: number;
  outcome: Outcome;
  connectMs: number | null;
  dnsMs: number | null;
  address: string | null;
  localPort: number | null;
  errorCode: string | null;
}

/** A target row of GET /api/targets, with its latest result and 24 h ratio. */
export interface TargetRow extends Target {
  lastResult: ProbeResult | null;
  ratio24h: number | null;
}

/** The body the UI sends to create or update a target. */
export interface TargetBody {
  name: string;
  host: string;
  port: number;
  intervalSeconds: number;
  timeoutMs: number | null;
  retentionValue: number;
  retentionUnit: RetentionUnit;
  enabled: boolean;
}

/** One time bucket of GET /api/targets/:id/history. */
export interface Bucket {
  /** Bucket start, epoch ms; the bucket covers [t, t + step). */
  t: number;
  attempts: number;
  successes: number;
  /** successes / attempts, or null when the bucket has no attempts. */
  ratio: number | null;
  connectMs: { min: number | null; avg: number | null; max: number | null };
  outcomes: Partial<Record<FailureOutcome, number>>;
}

/** Response of GET /api/targets/:id/history. */
export interface History {
  from: number;
  to: number;
  /** Bucket width chosen by the server, seconds. */
  step: number;
  buckets: Bucket[];
}

/** Response of GET /api/sparklines. */
export interface Sparklines {
  from: number;
  to: number;
  step: number;
  series: Record<string, (number | null)[]>;
}
