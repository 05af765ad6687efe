/**
 * What a channel's URL settings become when it is saved (the API's POST/PUT and a configuration
 * import alike). The API, the audit log and the export show a URL without its credentials
 * (domain/channel-urls.ts: userinfo left out, secret query values as `***`), so a URL sent back,
 * edited or not, keeps the stored credentials it does not show:
 * - each secret query value `***` takes the stored value of the parameter of the same (decoded)
 *   name, the n-th `***` of a name the n-th stored value; with none to take (a new channel, a kind
 *   change, a parameter the stored URL lacks) it is an error on that setting: `***` is never stored;
 * - the stored userinfo is kept when the URL sent has none and names the same host and port;
 * - ntfy: an access token (sent or stored) and a user name and password in the URL are refused
 *   together: both are the Authorization header, and fetch would join them into one invalid value.
 * Pure and browser-safe.
 */
import type { ChannelKind } from './channel-rules.js';
import { hasUserinfo, isHidden, mapSecretParams, URL_SETTINGS, userinfoOf, withUserinfo } from './channel-urls.js';

/** The stored channel a save replaces (same kind; null for a new channel or a kind change). */
export interface StoredUrlSettings {
  /** Its settings as stored, URL credentials included. */
  config: Readonly<Record<string, unknown>>;
  /** Names of its secret fields that have a stored value. */
  secretsSet: readonly string[];
}

/** Settings to store and problems by field (`config.url`); store nothing when `errors` has any. */
export interface MergedUrlSettings {
  config: Record<string, unknown>;
  errors: Record<string, string>;
}

const hostOf = (url: string): string | null => (URL.canParse(url) ? new URL(url).host : null);

/** The stored values of each secret query parameter of `url`, by decoded name, in order (`***` and empty ones left out). */
function storedValues(url: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  mapSecretParams(url, (v, name) => {
    if (v !== '' && !isHidden(v)) out.set(name, [...(out.get(name) ?? []), v]);
    return v;
  });
  return out;
}

/**
 * `next` (validated settings of `kind`) with the credentials of `previous` put back as the rules
 * above say; a copy. Never throws: problems are returned in `errors`.
 */
export function mergeUrlSettings(kind: ChannelKind, next: Readonly<Record<string, unknown>>, previous: StoredUrlSettings | null): MergedUrlSettings {
  const config = { ...next };
  const errors: Record<string, string> = {};
  for (const k of URL_SETTINGS[kind] ?? []) {
    const sent = config[k];
    if (typeof sent !== 'string') continue;
    const before = typeof previous?.config[k] === 'string' ? previous.config[k] : null;
    const stored = before === null ? new Map<string, string[]>() : storedValues(before);
    const missing = new Set<string>();
    let url = mapSecretParams(sent, (v, name) => {
      if (!isHidden(v)) return v;
      const value = stored.get(name)?.shift();
      if (value === undefined) missing.add(name);
      return value ?? v;
    });
    if (missing.size > 0)
      errors[`config.${k}`] = `${[...missing].join(', ')} is shown as *** but there is no stored value to keep for it${before === null ? ' (a new channel)' : ''}: type the credential itself.`;
    const info = before === null ? null : userinfoOf(before);
    if (info !== null && !hasUserinfo(url) && hostOf(url) !== null && hostOf(url) === hostOf(before!)) url = withUserinfo(url, info);
    config[k] = url;
  }
  if (kind === 'ntfy' && typeof config.url === 'string' && hasUserinfo(config.url) && (next.token !== undefined || previous?.secretsSet.includes('token')))
    errors['config.url'] ??=
      'Use either the access token or a user name and password in the URL, not both (each is sent as the Authorization header): remove the user name and password, or delete the channel and create it without a token.';
  return { config, errors };
}
