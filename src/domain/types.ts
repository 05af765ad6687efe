/**
 * Shapes NetWatch passes between its parts and returns from its API (camelCase, units in names).
 * Times are UTC epoch milliseconds. Browser-safe.
 */
import type { RetentionUnit } from './target-rules.js';

/**
 * How one TCP connection attempt ended (user's spec):
 * - `success`: the three-way handshake completed (RFC 9293 §3.5);
 * - `refused`: the SYN was answered with RST (ECONNREFUSED, connect(2));
 * - `timeout`: no answer within the timeout;
 * - `dns_error`: the host name did not resolve (getaddrinfo(3) EAI_NONAME/EAI_AGAIN/…);
 * - `unreachable`: EHOSTUNREACH / ENETUNREACH (ICMP unreachable, no route);
 * - `reset`: ECONNRESET during the attempt;
 * - `error`: anything else (the errno is kept in `errorCode`).
 */
export const OUTCOMES = ['success', 'refused', 'timeout', 'dns_error', 'unreachable', 'reset', 'error'] as const;
/** One of {@link OUTCOMES}. */
export type Outcome = (typeof OUTCOMES)[number];
/** The failure outcomes, in the order charts stack them. */
export const FAILURE_OUTCOMES = OUTCOMES.filter((o) => o !== 'success') as Exclude<Outcome, 'success'>[];

/** A monitored host + TCP port. */
export interface Target {
  id: number;
  /** Free text, 1–100 characters; need not be unique. */
  name: string;
  /** As entered (IDN not converted, brackets kept). */
  host: string;
  port: number;
  /** Probe interval, s (start to start). */
  intervalSeconds: number;
  /** Explicit probe timeout, ms; null = min(interval, 60 s). */
  timeoutMs: number | null;
  /** The timeout the prober uses, ms. */
  effectiveTimeoutMs: number;
  retentionValue: number;
  retentionUnit: RetentionUnit;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** One probe's record. */
export interface ProbeResult {
  targetId: number;
  /** When connect() was issued, UTC epoch ms. */
  startedAt: number;
  outcome: Outcome;
  /** SYN → handshake complete, ms with µs precision; null when no handshake happened. */
  connectMs: number | null;
  /** Name resolution time, ms; null when the host is an IP literal. */
  dnsMs: number | null;
  /** Address actually dialled; null when resolution failed. */
  address: string | null;
  /** Local (source) TCP port used; null when no socket was bound. */
  localPort: number | null;
  /** errno or resolver code (e.g. ECONNREFUSED, ENOTFOUND); null on success. */
  errorCode: string | null;
}

/** Per-bucket aggregate of probe results over [t, t + step). */
export interface HistoryBucket {
  /** Bucket start, UTC epoch ms (a multiple of step). */
  t: number;
  attempts: number;
  successes: number;
  /** successes / attempts; null when attempts is 0 (a gap, not a failure). */
  ratio: number | null;
  /** Connect time over successful probes, ms; nulls when none. */
  connectMs: { min: number | null; avg: number | null; max: number | null };
  /** Count of each failure outcome (only non-zero ones present). */
  outcomes: Partial<Record<Outcome, number>>;
}

/** A user as the API shows it (never a password hash). */
export interface User {
  id: number;
  username: string;
  createdAt: number;
}

/** p50/p99/max schedule lag over the last 60 s, ms; null fields when nothing was probed. */
export interface LagSummary {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Share of probes that started less than 50 ms late (0…1), null when none. */
  onTime: number | null;
}

/** Body of `GET /api/health` (200 when `status` is ok, 503 when degraded); see src/http/routes/health.ts. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  /** Why degraded, one sentence each (shown in the UI's banner); empty when ok. */
  reasons: string[];
  /** `error`: no answer within 2 s; `degraded`: the server refused or dropped connections lately. */
  db: 'ok' | 'degraded' | 'error';
  dbReason: string | null;
  store: 'mysql' | 'sqlite';
  /** The result writer; null when probing is not running (API-only tests). */
  writer: {
    buffered: number;
    written: number;
    dropped: number;
    failedFlushes: number;
    /** How long the oldest unstored result has waited, ms. */
    waitingMs: number;
    /** False when results have waited over 5 s. */
    storing: boolean;
    reason: string | null;
  } | null;
  scheduleLagMs: LagSummary | null;
}
