/**
 * Shapes NetWatch passes between its parts and returns from its API (camelCase, units in names).
 * Times are UTC epoch milliseconds. Browser-safe.
 */
import type { RetentionUnit } from './target-rules.js';
import type { AddressFamily, AddressPolicy, CloseMode } from './wire-rules.js';

/**
 * How one TCP connection attempt ended (user's spec). This list is the one place outcomes are
 * defined: rollup columns, history counts, charts, the probe log and their colours derive from it.
 * - `success`: the three-way handshake completed (RFC 9293 §3.5);
 * - `refused`: the SYN was answered with RST (ECONNREFUSED, connect(2));
 * - `timeout`: no answer within the timeout;
 * - `dns_error`: the host name did not resolve (getaddrinfo(3) EAI_NONAME/EAI_AGAIN/…);
 * - `unreachable`: EHOSTUNREACH / ENETUNREACH (ICMP unreachable, no route);
 * - `reset`: ECONNRESET during the attempt;
 * - `error`: anything else (the errno is kept in `errorCode`);
 * - `local_error`: the attempt failed inside NetWatch's own host, not at the target (issue 15 §4):
 *   {@link LOCAL_ERROR_CODES} (descriptors, local ports or kernel memory ran out), kept in `errorCode`.
 *   Such an attempt says nothing about the target: it is "not measured" (see {@link UNMEASURED_OUTCOMES}).
 */
export const OUTCOMES = ['success', 'refused', 'timeout', 'dns_error', 'unreachable', 'reset', 'error', 'local_error'] as const;
/** One of {@link OUTCOMES}. */
export type Outcome = (typeof OUTCOMES)[number];
/** An outcome other than `success`. */
export type FailureOutcome = Exclude<Outcome, 'success'>;
/** The failure outcomes, in the order charts stack them (also the rollup tables' count columns). */
export const FAILURE_OUTCOMES = OUTCOMES.filter((o): o is FailureOutcome => o !== 'success');
/**
 * Outcomes that measured nothing about the target: they are gaps in success ratio and uptime
 * (left out of the denominator), never failures of the target (issue 15 §4).
 */
export const UNMEASURED_OUTCOMES = ['local_error'] as const satisfies readonly FailureOutcome[];

/**
 * errno codes that mean NetWatch's host ran out of something, so the attempt is `local_error`:
 * EMFILE / ENFILE (per-process / system-wide descriptor table full, socket(2)), EADDRNOTAVAIL
 * (no free local port in `net.ipv4.ip_local_port_range`, connect(2)), EADDRINUSE (source port
 * taken, bind(2)/connect(2)), ENOBUFS / ENOMEM (kernel buffers or memory, socket(2)), and
 * NetWatch's own `EFDBUDGET`: no probe descriptor came free within the probe's slot (the
 * descriptor budget, src/actors/fd-budget.ts), and `ESTALL`: NetWatch itself was stalled (process
 * or VM paused, event loop blocked) past the attempt's deadline, so no answer was seen and the
 * attempt cannot be judged (issue 16 §1, src/actors/stall.ts).
 */
export const LOCAL_ERROR_CODES: readonly string[] = ['EMFILE', 'ENFILE', 'EADDRNOTAVAIL', 'EADDRINUSE', 'ENOBUFS', 'ENOMEM', 'EFDBUDGET', 'ESTALL'];

/**
 * Attempts that measured the target: `attempts` minus those with an outcome in
 * {@link UNMEASURED_OUTCOMES}. The denominator of every success ratio and uptime.
 */
export function measuredAttempts(b: { attempts: number; outcomes: Partial<Record<Outcome, number>> }): number {
  let n = b.attempts;
  for (const o of UNMEASURED_OUTCOMES) n -= b.outcomes[o] ?? 0;
  return n;
}

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
  /** Local address the probe socket binds before connect (canonical IP literal); null = the kernel chooses. */
  sourceAddress: string | null;
  /** Source port range cycled one port per attempt (1024–65535, min ≤ max); both null = ephemeral port. */
  sourcePortMin: number | null;
  sourcePortMax: number | null;
  /** How a successful probe ends: `fin` orderly close, `rst` abortive close (no TIME_WAIT on the hub). */
  closeMode: CloseMode;
  /** Which resolved addresses of a name may be dialled. */
  addressFamily: AddressFamily;
  /** `fallback`: next resolved address when one fails, within the timeout; `first`: only the first. */
  addressPolicy: AddressPolicy;
  /** Consecutive failed probes before the target turns down, 1–100 (issue 11). */
  failureThreshold: number;
  /** Consecutive successes before a down target turns up again, 1–100 (issue 11). */
  recoveryThreshold: number;
  /** Locations (hubs) that probe this target, each from one node (issue 10); empty = `default`. */
  locations: string[];
  createdAt: number;
  updatedAt: number;
}

/** One address dialled within an attempt (see {@link ProbeResult.addresses}). */
export interface DialledAddress {
  address: string;
  outcome: Outcome;
  /** When connect(2) was issued for this address, UTC epoch ms. */
  startedAt: number;
  /** SYN → handshake complete, ms; null when no handshake happened. */
  connectMs: number | null;
  localPort: number | null;
  errorCode: string | null;
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
  /** errno or resolver code (e.g. ECONNREFUSED, ENOTFOUND, EMFILE, EFDBUDGET); null on success. */
  errorCode: string | null;
  /**
   * The slot this attempt was scheduled for, UTC epoch ms (`startedAt − scheduledAt` is the send
   * lag); null for a probe run outside the schedule or stored before issue 8. Absent = null.
   */
  scheduledAt?: number | null;
  /** Source address the kernel bound (socket.localAddress after connect(2)); null when none. Absent = null. */
  localAddress?: string | null;
  /** The target's close mode at the time of the attempt; null for results stored before issue 8. Absent = null. */
  closeMode?: CloseMode | null;
  /**
   * Every address dialled, in order, when the address policy tried more than one (`address` is the
   * one that ended the attempt); null when at most one was dialled. Absent = null.
   */
  addresses?: DialledAddress[] | null;
  /** Location (hub) of the node that probed (issue 10); null for results stored before it. Absent = null. */
  location?: string | null;
  /** Name of the node that probed (issue 10); null for results stored before it. Absent = null. */
  node?: string | null;
}

/** Per-bucket aggregate of probe results over [t, t + step). */
export interface HistoryBucket {
  /** Bucket start, UTC epoch ms (a multiple of step). */
  t: number;
  attempts: number;
  successes: number;
  /**
   * successes / measured attempts ({@link measuredAttempts}: `local_error` attempts left out);
   * null when none was measured (a gap, not a failure).
   */
  ratio: number | null;
  /** Connect time over successful probes, ms; nulls when none. */
  connectMs: { min: number | null; avg: number | null; max: number | null };
  /** Count of each failure outcome (only non-zero ones present). */
  outcomes: Partial<Record<Outcome, number>>;
}

/**
 * What a user may do (issue 8, "A read-only role"): `admin` changes anything (every user created
 * before roles existed, the ROOT_USER and setup's first user); `viewer` sees targets, history,
 * probe logs and the wire view and changes nothing (every write is 403 `forbidden`).
 */
export const ROLES = ['admin', 'viewer'] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** A user as the API shows it (never a password hash). */
export interface User {
  id: number;
  username: string;
  role: Role;
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
  /** NetWatch's own faults while probing (src/actors/local-faults.ts); null when probing is not running. */
  local: LocalHealth | null;
}

/** The probe descriptor budget (src/actors/fd-budget.ts). Counts "last minute" are over the 60 s before the report. */
export interface BudgetStats {
  limit: number;
  reserve: number;
  size: number;
  inUse: number;
  waiting: number;
  /** Probes that found no free descriptor and had to wait, last minute. */
  waitedLastMinute: number;
  /** Probes that got none within their slot (recorded as `local_error` EFDBUDGET), last minute. */
  refusedLastMinute: number;
  /** Most descriptors probes held at once since start. */
  peakInUse: number;
}

/** The `local` part of `GET /api/health`. Counts are over the 60 s before the call. */
export interface LocalHealth {
  status: 'ok' | 'degraded';
  /** One sentence per cause, empty when ok. */
  reasons: string[];
  /** `local_error` results per errno, last minute. */
  errorsLastMinute: Record<string, number>;
  /** `local_error` results per errno since start. */
  errorsTotal: Record<string, number>;
  /** Probe descriptor budget: limit, reserve, size, in use, waiting, waits and refusals last minute. */
  descriptors: BudgetStats;
  /** Stalls of NetWatch itself (its event loop did not run for 1 s or more; src/actors/stall.ts). */
  stalls: StallSummary;
}

/** NetWatch's own stalls (process or VM paused, event loop blocked for ≥ 1 s). */
export interface StallSummary {
  /** Stalls that ended in the 60 s before the report. */
  lastMinute: number;
  /** The longest of them, ms; null when none. */
  longestMs: number | null;
  /** When the last one ended, UTC epoch ms; null when none since start. */
  lastEndedAt: number | null;
  /** Stalls since start. */
  total: number;
}
