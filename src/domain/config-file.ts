/**
 * The configuration file (issue 14 §3, "configuration as code"): `{version: 1, targets: [...], users?: [...]}`,
 * each target with every setting in a fixed order (so an export diffs cleanly in Git) and an
 * optional `key`. Validation of a whole file with every entry's errors by path (`targets.3.port`),
 * and the import plan (create, update, delete, unchanged). Pure and browser-safe: the UI shows
 * the same plan the server applies.
 */
import { z } from 'zod';
import { fieldChanges, type FieldChange } from './audit-diff.js';
import { parseConfigChannels, toConfigChannel, type ConfigChannel, type ParsedChannel } from './config-channels.js';
import { parseConfigUsers, type ConfigUser, type ParsedUser } from './config-users.js';
import { issuesToFields, targetInput, DEFAULT_FAILURE_THRESHOLD, DEFAULT_RECOVERY_THRESHOLD } from './target-rules.js';

/** Version of the file format. */
export const CONFIG_VERSION = 1;

/** The settings of a target in a file, in file order; missing optional ones take their defaults. */
export interface ConfigTarget {
  key?: string;
  name: string;
  host: string;
  port: number;
  intervalSeconds: number;
  timeoutMs: number | null;
  retentionValue: number;
  retentionUnit: string;
  enabled: boolean;
  sourceAddress: string | null;
  sourcePortMin: number | null;
  sourcePortMax: number | null;
  closeMode: string;
  addressFamily: string;
  addressPolicy: string;
  /** Consecutive failed probes before down / successes before up again (issue 11). */
  failureThreshold: number;
  recoveryThreshold: number;
  /** Locations (hubs) that probe the target (issue 10); `[]` = the default location. */
  locations: string[];
  /**
   * Names of the channels that notify about the target (issue 11), sorted; in an export only with
   * the `channels` section; on import, absent = the target's channels are left as they are.
   */
  channels?: string[];
}

/**
 * A whole file; `users` and `channels` only when asked for (export) or given (import), see
 * ./config-users.ts and ./config-channels.ts.
 */
export interface ConfigFile {
  version: typeof CONFIG_VERSION;
  targets: ConfigTarget[];
  users?: ConfigUser[];
  channels?: ConfigChannel[];
}

/** Key rule: 1–100 characters of letters, digits and `. _ : / -` (safe in file names and URLs). */
export const configKey = z
  .string({ error: 'Key must be text.' })
  .min(1, { error: 'Key must not be empty.' })
  .max(100, { error: 'Key must be at most 100 characters.' })
  .regex(/^[A-Za-z0-9._:/-]+$/, { error: 'Key may hold letters, digits and . _ : / - only.' });

/** A target's settings with the defaults applied, in file order (no key). */
export function normalTarget(t: {
  name: string;
  host: string;
  port: number;
  intervalSeconds: number;
  retentionValue: number;
  retentionUnit: string;
  timeoutMs?: number | null | undefined;
  enabled?: boolean | undefined;
  sourceAddress?: string | null | undefined;
  sourcePortMin?: number | null | undefined;
  sourcePortMax?: number | null | undefined;
  closeMode?: string | undefined;
  addressFamily?: string | undefined;
  addressPolicy?: string | undefined;
  failureThreshold?: number | undefined;
  recoveryThreshold?: number | undefined;
  locations?: readonly string[] | undefined;
}): Omit<ConfigTarget, 'key'> {
  return {
    name: t.name,
    host: t.host,
    port: t.port,
    intervalSeconds: t.intervalSeconds,
    timeoutMs: t.timeoutMs ?? null,
    retentionValue: t.retentionValue,
    retentionUnit: t.retentionUnit,
    enabled: t.enabled !== false,
    sourceAddress: t.sourceAddress ?? null,
    sourcePortMin: t.sourcePortMin ?? null,
    sourcePortMax: t.sourcePortMax ?? null,
    closeMode: t.closeMode ?? 'fin',
    addressFamily: t.addressFamily ?? 'any',
    addressPolicy: t.addressPolicy ?? 'fallback',
    failureThreshold: t.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
    recoveryThreshold: t.recoveryThreshold ?? DEFAULT_RECOVERY_THRESHOLD,
    locations: [...(t.locations ?? [])],
  };
}

/** One valid entry of a file: its index, key (or null), normalised settings and channel names (null: not given). */
export interface ParsedEntry {
  index: number;
  key: string | null;
  target: Omit<ConfigTarget, 'key' | 'channels'>;
  channels: string[] | null;
}

/** Validates a target's `channels` (a list of distinct channel names, trimmed); problems go into `errors` under `at`. */
function parseTargetChannels(raw: unknown, at: string, errors: Record<string, string>): string[] | null {
  if (raw === undefined) return null;
  if (!Array.isArray(raw) || raw.length > 100) {
    errors[at] = 'channels must be a list of at most 100 channel names.';
    return null;
  }
  const names = new Set<string>();
  raw.forEach((r: unknown, j) => {
    const n = typeof r === 'string' ? r.trim() : r; // as channel names are (channel-rules.ts)
    if (typeof n !== 'string' || n.length < 1 || n.length > 100) errors[`${at}.${j}`] = 'A channel name is text of 1–100 characters.';
    else if (names.has(n)) errors[`${at}.${j}`] = 'Named twice.';
    else names.add(n);
  });
  return [...names].sort(cmp);
}

/** Identity of a target: its key, else name + host + port (issue 14 §3). */
export const identityOf = (key: string | null, t: { name: string; host: string; port: number }) => (key !== null ? `key\u0000${key}` : `nhp\u0000${t.name}\u0000${t.host}\u0000${t.port}`);

/**
 * Most problems one import reports: past this, validation stops and `_` says so (a file of
 * 300,000 empty entries would otherwise build millions of messages, seconds of CPU and a
 * response of a hundred megabytes).
 */
export const MAX_REPORTED_PROBLEMS = 500;

/**
 * Validates a parsed file. @returns the entries, or every problem by path (`version`,
 * `targets.3.port`, `targets.5.key` for a duplicate …) — never a partial list of entries; at most
 * {@link MAX_REPORTED_PROBLEMS} problems, then `_` says that more were not checked.
 */
export function parseConfigFile(doc: unknown): { ok: true; entries: ParsedEntry[]; users: ParsedUser[] | null; channels: ParsedChannel[] | null } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, errors: { _: 'The file must be an object with version and targets.' } };
  const d = doc as Record<string, unknown>;
  if (d.version !== CONFIG_VERSION) errors.version = `version must be ${CONFIG_VERSION}.`;
  for (const k of Object.keys(d)) if (!['version', 'targets', 'users', 'channels'].includes(k)) errors[k] = 'Unknown field.';
  const users = 'users' in d ? parseConfigUsers(d.users, errors) : null;
  const channels = 'channels' in d ? parseConfigChannels(d.channels, errors) : null;
  if (!Array.isArray(d.targets)) {
    errors.targets = 'targets must be a list (it may be empty).';
    return { ok: false, errors };
  }
  const entries: ParsedEntry[] = [];
  const seen = new Map<string, number>();
  const list = d.targets as unknown[];
  for (let index = 0; index < list.length; index++) {
    if (index % 64 === 0 && Object.keys(errors).length >= MAX_REPORTED_PROBLEMS) {
      errors._ = `More than ${MAX_REPORTED_PROBLEMS} problems: targets from targets.${index} on were not checked; fix these and import again.`;
      break;
    }
    const raw = list[index];
    const at = `targets.${index}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors[at] = 'Each target must be an object.';
      continue;
    }
    const { key, channels: chosen, ...rest } = raw as Record<string, unknown>;
    const names = parseTargetChannels(chosen, `${at}.channels`, errors);
    let k: string | null = null;
    if (key !== undefined && key !== null) {
      const kr = configKey.safeParse(key);
      if (kr.success) k = kr.data;
      else errors[`${at}.key`] = kr.error.issues[0]!.message;
    }
    const r = targetInput.safeParse(rest);
    if (!r.success) {
      for (const [f, m] of Object.entries(issuesToFields(r.error.issues))) errors[`${at}.${f}`] = m;
      continue;
    }
    const target = normalTarget(r.data);
    const id = identityOf(k, target);
    const first = seen.get(id);
    if (first !== undefined) errors[`${at}.${k !== null ? 'key' : 'name'}`] = `Same ${k !== null ? 'key' : 'name, host and port'} as targets.${first}.`;
    else seen.set(id, index);
    entries.push({ index, key: k, target, channels: names });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, entries, users, channels };
}

/** A stored target as the plan sees it; `channels` (sorted names) when loaded with them. */
export interface StoredTarget {
  id: number;
  key: string | null;
  target: Omit<ConfigTarget, 'key' | 'channels'>;
  channels?: string[];
}

/** What an import does (or, in a dry run, would do). */
export interface ImportPlan {
  create: { index: number; key: string | null; target: Omit<ConfigTarget, 'key' | 'channels'>; channels: string[] | null }[];
  update: { index: number; id: number; key: string | null; name: string; target: Omit<ConfigTarget, 'key' | 'channels'>; channels: string[] | null; changes: Record<string, FieldChange> }[];
  unchanged: { index: number; id: number; name: string }[];
  delete: { id: number; key: string | null; name: string; target: Omit<ConfigTarget, 'key' | 'channels'> }[];
}

/**
 * Matches entries to stored targets: by key; an entry with a key not yet stored adopts a stored
 * target without a key of the same name + host + port; an entry without a key matches a stored
 * target of the same name + host + port, one without a key first, else one whose key no entry of
 * the file names (the update then clears that key: the file is what the target becomes, and its
 * history stays). Stored targets no entry matched are deleted in
 * `replace` mode and left alone in `merge` mode. An entry's `channels` are compared when given and
 * the stored targets were loaded with theirs.
 */
export function planImport(stored: readonly StoredTarget[], entries: readonly ParsedEntry[], mode: 'merge' | 'replace'): ImportPlan {
  const byKey = new Map<string, StoredTarget>();
  const byNhp = new Map<string, StoredTarget>();
  // keyed targets by name + host + port, for entries without a key; not those whose key the file names
  const claimed = new Set(entries.flatMap((e) => (e.key !== null ? [e.key] : [])));
  const keyedByNhp = new Map<string, StoredTarget>();
  for (const s of stored) {
    if (s.key !== null) {
      byKey.set(s.key, s);
      if (!claimed.has(s.key) && !keyedByNhp.has(identityOf(null, s.target))) keyedByNhp.set(identityOf(null, s.target), s);
    } else if (!byNhp.has(identityOf(null, s.target))) byNhp.set(identityOf(null, s.target), s);
  }
  const used = new Set<number>();
  const plan: ImportPlan = { create: [], update: [], unchanged: [], delete: [] };
  for (const e of entries) {
    const nhp = identityOf(null, e.target);
    let match = e.key !== null ? byKey.get(e.key) : undefined;
    if (!match) {
      const candidate = byNhp.get(nhp);
      if (candidate && !used.has(candidate.id)) match = candidate;
    }
    if (!match && e.key === null) {
      const keyed = keyedByNhp.get(nhp);
      if (keyed && !used.has(keyed.id)) match = keyed;
    }
    if (!match || used.has(match.id)) {
      plan.create.push({ index: e.index, key: e.key, target: e.target, channels: e.channels });
      continue;
    }
    used.add(match.id);
    const withChannels = e.channels !== null && match.channels !== undefined;
    const changes = fieldChanges({ key: match.key, ...match.target, ...(withChannels && { channels: match.channels }) }, { key: e.key, ...e.target, ...(withChannels && { channels: e.channels }) });
    if (Object.keys(changes).length === 0) plan.unchanged.push({ index: e.index, id: match.id, name: e.target.name });
    else plan.update.push({ index: e.index, id: match.id, key: e.key, name: e.target.name, target: e.target, channels: e.channels, changes });
  }
  if (mode === 'replace') for (const s of stored) if (!used.has(s.id)) plan.delete.push({ id: s.id, key: s.key, name: s.target.name, target: s.target });
  return plan;
}

/**
 * A file from stored targets, ordered by key then name then id (stable across stores), with
 * `users` (ordered by username) when given, and `channels` (ordered by name, no secrets) when
 * given: each target then lists its channels by name (the targets must be loaded with them).
 */
export function toConfigFile(stored: readonly StoredTarget[], users?: readonly ConfigUser[], channels?: readonly ConfigChannel[]): ConfigFile {
  const sorted = [...stored].sort(
    (a, b) => cmp(a.key ?? '\uffff', b.key ?? '\uffff') || cmp(a.target.name, b.target.name) || cmp(a.target.host, b.target.host) || a.target.port - b.target.port || a.id - b.id,
  );
  const targets = sorted.map((s) => ({ ...(s.key !== null && { key: s.key }), ...s.target, ...(channels && { channels: [...(s.channels ?? [])].sort(cmp) }) }));
  const file: ConfigFile = { version: CONFIG_VERSION, targets };
  if (users) file.users = [...users].sort((a, b) => cmp(a.username, b.username)).map((u) => ({ username: u.username, role: u.role }));
  if (channels) file.channels = [...channels].sort((a, b) => cmp(a.name, b.name)).map(toConfigChannel);
  return file;
}

/**
 * Targets naming a channel that is neither stored nor in the file, or a name two stored channels
 * share (`ambiguous`), as errors on `targets.3.channels`.
 */
export function unknownChannelNames(entries: readonly ParsedEntry[], known: ReadonlySet<string>, errors: Record<string, string>, ambiguous: ReadonlySet<string> = new Set()): void {
  for (const e of entries) {
    const unknown = (e.channels ?? []).filter((n) => !known.has(n));
    const twice = (e.channels ?? []).filter((n) => ambiguous.has(n));
    if (unknown.length > 0) errors[`targets.${e.index}.channels`] = `No channel named ${unknown.map((n) => JSON.stringify(n)).join(', ')} (stored or in the file's channels).`;
    else if (twice.length > 0) errors[`targets.${e.index}.channels`] = `Two stored channels are named ${twice.map((n) => JSON.stringify(n)).join(', ')}: rename one on the Channels page first.`;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
