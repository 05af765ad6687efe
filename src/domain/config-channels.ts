/**
 * The optional `channels` section of the configuration file (issue 14 §3, "notification channels,
 * without secrets"): `[{name, kind, isDefault, config}]`, `config` being the kind's settings
 * (domain/channel-rules.ts) **without** its secret fields ({@link SECRET_FIELDS}). Export includes it
 * only when asked (`GET /api/config?channels=true`, admins, as channels are); targets then carry
 * `channels: [names]`. On import, a section that is present is applied by channel name (exact):
 * - a stored channel of that name is updated (kind, isDefault, settings) and keeps its secrets
 *   (unless its kind changes: another kind's secrets do not apply, as for `PUT /api/channels/:id`);
 * - a new name is created with its secrets unset; a kind that needs one (REQUIRED_SECRETS: webhook
 *   secret, slack/teams url) then sends nothing until an admin sets it (the delivery actor skips it),
 *   and the report lists it in `secretsMissing`;
 * - channels the file does not name are left alone, in `replace` mode too (import never deletes
 *   channels: a channel holds secrets the file cannot bring back);
 * - a secret field in the file is an error on its path (secrets are set on the Channels page), and
 *   so are credentials in a URL setting (`https://user:pass@…`, domain/channel-urls.ts): the export
 *   leaves them out, and an updated channel keeps the stored ones its URL shows hidden (`***`, and
 *   userinfo for the same host; domain/channel-url-merge.ts); a `***` with nothing stored is an error.
 * Which secrets are set is not written to the file, so the file is the same on every store.
 * Pure and browser-safe.
 */
import { fieldChanges, type FieldChange } from './audit-diff.js';
import { channelInput, REQUIRED_SECRETS, SECRET_FIELDS, type ChannelKind } from './channel-rules.js';
import { mergeUrlSettings } from './channel-url-merge.js';
import { hasUrlCredentials, URL_SETTINGS } from './channel-urls.js';
import { issuesToFields } from './target-rules.js';

/** One channel of a file. */
export interface ConfigChannel {
  name: string;
  kind: ChannelKind;
  isDefault: boolean;
  /** Settings without secrets, keys in sorted order. */
  config: Record<string, unknown>;
}

/** A valid entry and where it is in the file. */
export interface ParsedChannel extends ConfigChannel {
  index: number;
}

/** A stored channel as the plan sees it. */
export interface StoredChannel extends ConfigChannel {
  id: number;
  /** Names of the secret fields that have a stored value. */
  secretsSet: string[];
  /** Its settings as stored, URL credentials included: only to check what a save keeps (never written to a file). */
  storedConfig: Record<string, unknown>;
}

/** What an import does to channels (or, in a dry run, would do). */
export interface ChannelPlan {
  create: (ParsedChannel & { secretsMissing: string[] })[];
  update: (ParsedChannel & { id: number; changes: Record<string, FieldChange>; secretsMissing: string[] })[];
  unchanged: (ParsedChannel & { id: number })[];
}

/** Settings with keys sorted (so a file is the same whatever order a store kept them in). */
export const sortedConfig = (config: Record<string, unknown>) =>
  Object.fromEntries(
    Object.keys(config)
      .sort()
      .map((k) => [k, config[k]]),
  );

/** A channel in file form and order. */
export const toConfigChannel = (c: ConfigChannel): ConfigChannel => ({ name: c.name, kind: c.kind, isDefault: c.isDefault, config: sortedConfig(c.config) });

/**
 * Validates the `channels` section; problems go into `errors` by path (`channels.2.kind`,
 * `channels.0.config.url`, a repeated name on `channels.3.name`, a secret on `channels.1.config.secret`).
 */
export function parseConfigChannels(raw: unknown, errors: Record<string, string>): ParsedChannel[] {
  if (!Array.isArray(raw)) {
    errors.channels = 'channels must be a list (it may be empty).';
    return [];
  }
  const out: ParsedChannel[] = [];
  const seen = new Map<string, number>();
  raw.forEach((c: unknown, index) => {
    const at = `channels.${index}`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      errors[at] = 'Each channel must be an object with name, kind and config.';
      return;
    }
    const r = channelInput.safeParse(c);
    if (!r.success) {
      for (const [f, m] of Object.entries(issuesToFields(r.error.issues))) errors[`${at}.${f}`] = m;
      return;
    }
    const secrets = Object.keys(r.data.config).filter((k) => SECRET_FIELDS[r.data.kind].includes(k));
    const credentials = URL_SETTINGS[r.data.kind].filter((k) => typeof r.data.config[k] === 'string' && hasUrlCredentials(r.data.config[k]));
    if (secrets.length > 0 || credentials.length > 0) {
      for (const k of secrets) errors[`${at}.config.${k}`] = 'Secrets are not imported: set them on the Channels page.';
      for (const k of credentials)
        errors[`${at}.config.${k}`] =
          'Credentials in a URL (user:password@, or the value of a query parameter such as auth, token or key) are secrets and are not imported: give the URL as exported (without them, or with ***; a stored channel keeps its own), and set them on the Channels page.';
      return;
    }
    const first = seen.get(r.data.name);
    if (first !== undefined) errors[`${at}.name`] = `Same name as channels.${first}.`;
    else seen.set(r.data.name, index);
    out.push({ index, name: r.data.name, kind: r.data.kind, isDefault: r.data.isDefault ?? false, config: sortedConfig(r.data.config) });
  });
  return out;
}

const missing = (kind: ChannelKind, have: readonly string[]) => REQUIRED_SECRETS[kind].filter((k) => !have.includes(k));

/**
 * Stored channel names held by more than one channel (possible in data from before names were
 * unique): a file cannot say which one it means, so an entry or a target naming one is an error.
 */
export function ambiguousNames(stored: readonly StoredChannel[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const s of stored) (seen.has(s.name) ? twice : seen).add(s.name);
  return twice;
}

/**
 * Plans the channels section against stored channels (matched by exact name).
 * @returns the plan, or errors by path (`channels.2.name`) for names two stored channels share
 */
export function planChannels(stored: readonly StoredChannel[], entries: readonly ParsedChannel[], errors: Record<string, string>): ChannelPlan {
  const twice = ambiguousNames(stored);
  for (const e of entries) if (twice.has(e.name)) errors[`channels.${e.index}.name`] = 'Two stored channels have this name: rename one on the Channels page first.';
  const byName = new Map(stored.map((s) => [s.name, s]));
  const plan: ChannelPlan = { create: [], update: [], unchanged: [] };
  for (const e of entries) {
    const s = byName.get(e.name);
    const same = s !== undefined && s.kind === e.kind;
    // what the save will do with `***` (channel-url-merge.ts): a dry run reports the same errors
    for (const [f, m] of Object.entries(mergeUrlSettings(e.kind, e.config, same ? { config: s.storedConfig, secretsSet: s.secretsSet } : null).errors)) errors[`channels.${e.index}.${f}`] = m;
    if (!s) {
      plan.create.push({ ...e, secretsMissing: missing(e.kind, []) });
      continue;
    }
    const changes = fieldChanges({ kind: s.kind, isDefault: s.isDefault, config: sortedConfig(s.config) }, { kind: e.kind, isDefault: e.isDefault, config: e.config });
    if (Object.keys(changes).length === 0) plan.unchanged.push({ ...e, id: s.id });
    else plan.update.push({ ...e, id: s.id, changes, secretsMissing: missing(e.kind, s.kind === e.kind ? s.secretsSet : []) });
  }
  return plan;
}
