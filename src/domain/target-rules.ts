/**
 * Validation rules for targets, shared by the API (src/http) and the UI (ui/src).
 * Browser-safe: imports nothing from Node.js.
 *
 * Rules come from the user's spec (issue "NetWatch core service"):
 * - name: 1–100 characters (Unicode code points) of any text, not blank;
 * - host: a DNS name, an IPv4 or an IPv6 address (rule and messages in host-rules.ts);
 * - port: 1–65535 (RFC 793 / RFC 6335);
 * - interval: 1–86,400 s; timeout: 100 ms … min(interval, 60 s), optional;
 * - retention: a whole number 1–100,000 of a unit in {@link RETENTION_UNITS};
 * - wire settings (issue 8, rules in wire-rules.ts): source address, source port range
 *   1024–65535, close mode, address family, address policy.
 * - failure / recovery threshold (issue 11): consecutive failed probes before the target turns
 *   down, 1–100, default {@link DEFAULT_FAILURE_THRESHOLD}; consecutive successes before it turns
 *   up again, 1–100, default {@link DEFAULT_RECOVERY_THRESHOLD}.
 */
import { z } from 'zod';
import { parseHost } from './host-rules.js';
import { locationList } from './location-rules.js';
import { ADDRESS_FAMILIES, ADDRESS_POLICIES, canonicalIp, CLOSE_MODES, MAX_SOURCE_PORT, MIN_SOURCE_PORT, sourceAddressField, wireIssues } from './wire-rules.js';

/** Units a target's history retention may be given in. */
export const RETENTION_UNITS = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
/** One of {@link RETENTION_UNITS}. */
export type RetentionUnit = (typeof RETENTION_UNITS)[number];

/** Lower bound of an explicit probe timeout, ms. */
export const MIN_TIMEOUT_MS = 100;
/** Upper bound of any probe timeout, ms (user's spec: never above 60 s). */
export const MAX_TIMEOUT_MS = 60_000;
/** Default consecutive failed probes before a target turns down (issue 11). */
export const DEFAULT_FAILURE_THRESHOLD = 3;
/** Default consecutive successes before a down target turns up again (issue 11). */
export const DEFAULT_RECOVERY_THRESHOLD = 1;
/** Upper bound of both thresholds (issue 11: 1–100). */
export const MAX_THRESHOLD = 100;
/** Probe interval bounds, s. */
export const MIN_INTERVAL_S = 1;
export const MAX_INTERVAL_S = 86_400;

/**
 * Timeout used when a target has none of its own: min(interval, 60 s), in ms.
 * @param intervalSeconds probe interval, s
 */
export function defaultTimeoutMs(intervalSeconds: number): number {
  return Math.min(intervalSeconds * 1000, MAX_TIMEOUT_MS);
}

const codePoints = (s: string): number => [...s].length;

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a number.` })
    .int({ error: `${label} must be a whole number.` })
    .min(min, { error: `${label} must be at least ${min.toLocaleString('en-US')}.` })
    .max(max, { error: `${label} must be at most ${max.toLocaleString('en-US')}.` });

/** Field rules of a target, without the cross-field timeout rule. */
export const targetFields = z.object({
  name: z
    .string({ error: 'Name is required.' })
    .refine((s) => s.trim().length > 0, { error: 'Name is required.' })
    .refine((s) => !/[\p{Cc}\uD800-\uDFFF]/u.test(s), { error: 'Name must not contain control characters or broken Unicode.' })
    .refine((s) => codePoints(s) <= 100, { error: 'Name must be at most 100 characters.' }),
  host: z.string({ error: 'Host is required.' }).superRefine((s, ctx) => {
    const parsed = parseHost(s);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  }),
  port: wholeNumber('Port', 1, 65535),
  intervalSeconds: wholeNumber('Interval', MIN_INTERVAL_S, MAX_INTERVAL_S),
  timeoutMs: wholeNumber('Timeout', MIN_TIMEOUT_MS, MAX_TIMEOUT_MS).nullable().optional(),
  retentionValue: wholeNumber('Retention', 1, 100_000),
  retentionUnit: z.enum(RETENTION_UNITS, { error: `Retention unit must be one of ${RETENTION_UNITS.join(', ')}.` }),
  enabled: z.boolean({ error: 'Enabled must be true or false.' }).optional(),
  sourceAddress: sourceAddressField,
  sourcePortMin: wholeNumber('Source port min', MIN_SOURCE_PORT, MAX_SOURCE_PORT).nullable().optional(),
  sourcePortMax: wholeNumber('Source port max', MIN_SOURCE_PORT, MAX_SOURCE_PORT).nullable().optional(),
  closeMode: z.enum(CLOSE_MODES, { error: `Close mode must be one of ${CLOSE_MODES.join(', ')}.` }).optional(),
  addressFamily: z.enum(ADDRESS_FAMILIES, { error: `Address family must be one of ${ADDRESS_FAMILIES.join(', ')}.` }).optional(),
  addressPolicy: z.enum(ADDRESS_POLICIES, { error: `Address policy must be one of ${ADDRESS_POLICIES.join(', ')}.` }).optional(),
  failureThreshold: wholeNumber('Failure threshold', 1, MAX_THRESHOLD).optional(),
  recoveryThreshold: wholeNumber('Recovery threshold', 1, MAX_THRESHOLD).optional(),
  /** Locations that probe the target (issue 10); absent or empty = `default`. */
  locations: locationList.optional(),
});

/**
 * A target as a client creates or replaces it. `timeoutMs` null or absent means
 * "use {@link defaultTimeoutMs}"; an explicit timeout must not exceed the interval; the wire
 * settings must agree with each other and with the host ({@link wireIssues}). The parsed value
 * holds IP literals (host and source address) in canonical form ({@link canonicalIp}).
 */
export const targetInput = targetFields
  .strict()
  .superRefine((t, ctx) => {
    if (t.timeoutMs != null && Number.isInteger(t.intervalSeconds) && t.timeoutMs > t.intervalSeconds * 1000) {
      ctx.addIssue({ code: 'custom', path: ['timeoutMs'], message: 'Timeout must not exceed the interval.' });
    }
    // zod may run this on a value whose fields failed their own rules: read only what is well-typed
    if (!Number.isInteger(t.intervalSeconds) || typeof t.host !== 'string') return;
    const host = parseHost(t.host);
    const hostFamily = 'error' in host || host.kind === 'name' ? null : host.kind === 'ipv4' ? 4 : 6;
    const timeoutMs = t.timeoutMs ?? defaultTimeoutMs(t.intervalSeconds);
    for (const [field, message] of wireIssues({ ...t, hostFamily, timeoutMs })) ctx.addIssue({ code: 'custom', path: [field], message });
  })
  .transform((t) => ({
    ...t,
    host: canonicalIp(t.host)?.value ?? t.host,
    sourceAddress: t.sourceAddress == null ? null : canonicalIp(t.sourceAddress)!.value,
  }));

/**
 * A target create or replace request's fields (wire settings optional: absent = default). The
 * parsed value of {@link targetInput} is one of these, with canonical IP literals.
 */
export type TargetInput = z.input<typeof targetInput>;

/**
 * Validates one target and returns per-field messages (`{}` when valid).
 * Used by the UI to validate as the user types, with the same rules the API applies.
 */
export function targetFieldErrors(value: unknown): Record<string, string> {
  const result = targetInput.safeParse(value);
  if (result.success) return {};
  return issuesToFields(result.error.issues);
}

/** Turns zod issues into `{ field: firstMessage }`; issues without a path go under `_`. */
export function issuesToFields(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[]): Record<string, string> {
  // no prototype: a field named "__proto__" becomes an ordinary key instead of vanishing
  const fields: Record<string, string> = Object.create(null);
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) fields[key] ??= 'Unknown field.';
      continue;
    }
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    fields[key] ??= issue.message;
  }
  return fields;
}
