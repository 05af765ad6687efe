/**
 * Validation rules for targets, shared by the API (src/http) and the UI (ui/src).
 * Browser-safe: imports nothing from Node.js.
 *
 * Rules come from the user's spec (issue "NetWatch core service"):
 * - name: 1–100 characters (Unicode code points) of any text, not blank;
 * - host: a DNS name (RFC 1035 §2.3.4: labels ≤ 63 octets, name ≤ 253 octets, one trailing dot
 *   allowed; IDN converted to punycode per RFC 3492 for the length check and the lookup),
 *   an IPv4 address, or an IPv6 address with or without brackets (RFC 3986 §3.2.2);
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

const IPV4_SHAPE = /^[0-9.]+$/;
const IPV4 = z.ipv4();
const IPV6 = z.ipv6();
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Unicode format characters (category Cf: U+00AD, U+200B–U+200D, U+FEFF, …) and other default-ignorable code points. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

/**
 * Normalises a host as entered into what the prober dials or resolves.
 * Strips IPv6 brackets and one trailing dot; converts an IDN to punycode (lower case).
 * @returns `{ kind, value }` where value is the dialable form, or `{ error }` with a message.
 */
export function parseHost(input: string): { kind: 'ipv4' | 'ipv6' | 'name'; value: string } | { error: string } {
  const host = input;
  if (host.length === 0) return { error: 'Host is required.' };
  if (/\s/.test(host)) return { error: 'Host must not contain spaces.' };
  // IDNA mapping (UTS #46 §4) silently drops these, so the name shown would not be the name dialled.
  const hidden = INVISIBLE.exec(host);
  if (hidden) {
    const code = `U+${hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return { error: `Host contains an invisible character (${code}) at position ${[...host.slice(0, hidden.index)].length + 1}; type the name without it.` };
  }
  // As entered (before IDN mapping drops ignored characters such as U+00AD), so it fits the column.
  if ([...host].length > 255) return { error: 'Host name is longer than 253 characters.' };
  if (host.startsWith('[') || host.endsWith(']')) {
    const inner = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : '';
    if (IPV6.safeParse(inner).success) return { kind: 'ipv6', value: inner };
    return { error: 'Brackets are only for an IPv6 address, e.g. [2001:db8::1].' };
  }
  if (host.includes(':')) {
    if (IPV6.safeParse(host).success) return { kind: 'ipv6', value: host };
    return { error: 'Not a valid IPv6 address (a port goes in the Port field).' };
  }
  if (IPV4_SHAPE.test(host)) {
    if (IPV4.safeParse(host).success) return { kind: 'ipv4', value: host };
    return { error: 'Not a valid IPv4 address (four numbers 0–255 separated by dots).' };
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.startsWith('.') || name.includes('..')) {
    return { error: 'Host name has an empty label.' };
  }
  // ASCII is limited to what a host name may hold before URL parsing could read `@ / ? # %` as syntax.
  if (/[\x00-\x2c\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]/.test(name)) {
    return { error: 'Host name may hold only letters, digits, hyphens, underscores and dots.' };
  }
  let ascii: string;
  try {
    ascii = new URL(`http://${name}/`).hostname;
  } catch {
    return { error: 'Not a valid host name.' };
  }
  if (ascii.length > 253) return { error: 'Host name is longer than 253 characters.' };
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length > 63) return { error: `Label "${label.slice(0, 20)}…" is longer than 63 characters.` };
    if (!LABEL.test(label)) return { error: `Label "${label}" may hold only letters, digits and inner hyphens.` };
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return { error: 'Not a valid IPv4 address or host name.' };
  return { kind: 'name', value: ascii };
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
