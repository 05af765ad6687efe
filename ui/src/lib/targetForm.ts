/**
 * The target editor's form model: string fields as typed, converted to the API body and
 * validated with the API's own rules (`targetFieldErrors` from src/domain/target-rules.ts).
 * The UI shows the timeout in seconds (decimals allowed); the API takes milliseconds.
 */
import { DEFAULT_FAILURE_THRESHOLD, DEFAULT_RECOVERY_THRESHOLD, defaultTimeoutMs, RETENTION_UNITS, targetFieldErrors, type RetentionUnit } from '../../../src/domain/target-rules.ts';
import type { AddressFamily, AddressPolicy, CloseMode } from '../../../src/domain/wire-rules.ts';
import type { Target, TargetBody } from '../types.ts';

/** Editor fields as the user typed them. */
export interface TargetForm {
  name: string;
  host: string;
  port: string;
  intervalSeconds: string;
  /** Seconds; empty means "use the default". */
  timeoutSeconds: string;
  retentionValue: string;
  retentionUnit: RetentionUnit;
  enabled: boolean;
  /** Empty = the kernel chooses. */
  sourceAddress: string;
  /** Both empty = ephemeral port; equal = one fixed port. */
  sourcePortMin: string;
  sourcePortMax: string;
  closeMode: CloseMode;
  addressFamily: AddressFamily;
  addressPolicy: AddressPolicy;
  /** Consecutive failed probes before the target is down (issue 11). */
  failureThreshold: string;
  /** Consecutive successes before it is up again. */
  recoveryThreshold: string;
  /** Locations that probe the target, separated by commas or spaces; empty = `default` (issue 10). */
  locations: string;
}

/** Wire settings of a new target (today's behaviour). */
const WIRE_DEFAULTS = { sourceAddress: '', sourcePortMin: '', sourcePortMax: '', closeMode: 'fin', addressFamily: 'any', addressPolicy: 'fallback', locations: '' } as const;

/** Form values of a new target. */
export function emptyForm(): TargetForm {
  return {
    name: '',
    host: '',
    port: '',
    intervalSeconds: '10',
    timeoutSeconds: '',
    retentionValue: '30',
    retentionUnit: 'day',
    enabled: true,
    failureThreshold: String(DEFAULT_FAILURE_THRESHOLD),
    recoveryThreshold: String(DEFAULT_RECOVERY_THRESHOLD),
    ...WIRE_DEFAULTS,
  };
}

/** Form values of an existing target. */
export function formFromTarget(t: Target): TargetForm {
  return {
    name: t.name,
    host: t.host,
    port: String(t.port),
    intervalSeconds: String(t.intervalSeconds),
    timeoutSeconds: t.timeoutMs == null ? '' : String(t.timeoutMs / 1000),
    retentionValue: String(t.retentionValue),
    retentionUnit: RETENTION_UNITS.includes(t.retentionUnit) ? t.retentionUnit : 'day',
    enabled: t.enabled,
    sourceAddress: t.sourceAddress ?? '',
    sourcePortMin: t.sourcePortMin == null ? '' : String(t.sourcePortMin),
    sourcePortMax: t.sourcePortMax == null ? '' : String(t.sourcePortMax),
    closeMode: t.closeMode ?? 'fin',
    addressFamily: t.addressFamily ?? 'any',
    addressPolicy: t.addressPolicy ?? 'fallback',
    failureThreshold: String(t.failureThreshold),
    recoveryThreshold: String(t.recoveryThreshold),
    locations: (t.locations ?? []).join(', '),
  };
}

/** A typed number: undefined when blank (the rules then say "must be a number"), NaN when not numeric. */
function num(s: string): number | undefined {
  const trimmed = s.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** Seconds as typed → whole ms; keeps a fraction of a ms so the whole-number rule reports it. */
export function secondsToMs(s: string): number | null | undefined {
  const v = num(s);
  if (v === undefined) return null;
  const ms = v * 1000;
  const rounded = Math.round(ms);
  return Math.abs(ms - rounded) < 1e-6 ? rounded : ms;
}

/** Converts the form to the API body (values may still be invalid; see {@link formErrors}). */
export function formToBody(f: TargetForm): TargetBody {
  return {
    name: f.name,
    host: f.host.trim(),
    port: num(f.port) as number,
    intervalSeconds: num(f.intervalSeconds) as number,
    timeoutMs: secondsToMs(f.timeoutSeconds) ?? null,
    retentionValue: num(f.retentionValue) as number,
    retentionUnit: f.retentionUnit,
    enabled: f.enabled,
    sourceAddress: f.sourceAddress.trim() === '' ? null : f.sourceAddress.trim(),
    sourcePortMin: num(f.sourcePortMin) ?? null,
    sourcePortMax: num(f.sourcePortMax) ?? null,
    closeMode: f.closeMode,
    addressFamily: f.addressFamily,
    addressPolicy: f.addressPolicy,
    failureThreshold: num(f.failureThreshold) as number,
    recoveryThreshold: num(f.recoveryThreshold) as number,
    locations: f.locations.split(/[\s,]+/).filter((s) => s.length > 0),
  };
}

/** Maps API field keys to the form's keys. */
export const FORM_KEY: Record<string, keyof TargetForm> = {
  timeoutMs: 'timeoutSeconds',
};

/** Re-words an API timeout message for a field shown in seconds. */
function timeoutMessage(message: string): string {
  if (/at least/.test(message)) return 'Timeout must be at least 0.1 s.';
  if (/at most/.test(message)) return 'Timeout must be at most 60 s.';
  if (/whole number/.test(message)) return 'Timeout must be a whole number of milliseconds (at most 3 decimals).';
  if (/must be a number/.test(message)) return 'Timeout must be a number of seconds.';
  return message;
}

/** Turns API field errors (keys as in the API body) into form field errors. */
export function apiFieldsToForm(fields: Record<string, string>): Partial<Record<keyof TargetForm | '_', string>> {
  const out: Partial<Record<keyof TargetForm | '_', string>> = {};
  for (const [key, message] of Object.entries(fields)) {
    const formKey = FORM_KEY[key] ?? (key as keyof TargetForm);
    out[formKey] = key === 'timeoutMs' ? timeoutMessage(message) : message;
  }
  return out;
}

/** Required numeric fields and what a blank one says (the API alone would say "must be a number"). */
export const REQUIRED_NUMBERS: Partial<Record<keyof TargetForm, string>> = {
  port: 'Port is required.',
  intervalSeconds: 'Interval is required.',
  retentionValue: 'Retention is required.',
  failureThreshold: 'Failure threshold is required.',
  recoveryThreshold: 'Recovery threshold is required.',
};

/** Validates the form with the API's rules; `{}` when valid. A blank required number is "required". */
export function formErrors(f: TargetForm): Partial<Record<keyof TargetForm | '_', string>> {
  const errors = apiFieldsToForm(targetFieldErrors(formToBody(f)));
  for (const [key, message] of Object.entries(REQUIRED_NUMBERS) as [keyof TargetForm, string][]) {
    if (String(f[key]).trim() === '') errors[key] = message;
  }
  return errors;
}

/** Placeholder of the timeout field: the default for the typed interval, in seconds. */
export function timeoutPlaceholder(intervalSeconds: string): string {
  const v = Number(intervalSeconds);
  if (!Number.isFinite(v) || v <= 0) return 'default: min(interval, 60)';
  return `default: ${defaultTimeoutMs(v) / 1000}`;
}
