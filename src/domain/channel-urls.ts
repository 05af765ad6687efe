/**
 * Credentials inside a channel's URL setting (`https://user:pass@host/…`, the URL's userinfo,
 * RFC 3986 §3.2.1) are secrets as much as the kind's secret fields (channel-rules.ts SECRET_FIELDS):
 * they are kept in the stored settings (delivery needs them) but never leave NetWatch. Every place
 * a channel's settings are shown (the API, the audit log, the configuration export) shows the URL
 * without them ({@link publicSettings}); a URL sent back without credentials and otherwise the
 * same keeps the stored ones ({@link keepUrlCredentials}), as an omitted secret field keeps its
 * value. So an edit in the UI or a re-import of an exported file never wipes them; to change them,
 * send the URL with the new ones. Browser-safe.
 */
import type { ChannelKind } from './channel-rules.js';

/** Settings of each kind that hold a URL which is not itself a secret field (slack/teams `url` is). */
export const URL_SETTINGS: Record<ChannelKind, readonly string[]> = { webhook: ['url'], ntfy: ['url'], slack: [], teams: [], email: [] };

/** Scheme, then userinfo up to the last `@` of the authority (userinfo cannot hold `/`, `?` or `#`). */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/** True when `url` carries userinfo (`user@`, `user:pass@`, even an empty `@`). */
export const hasUrlCredentials = (url: string): boolean => USERINFO.test(url);

/** `url` without its userinfo, otherwise unchanged (no normalisation, so it compares as sent). */
export const withoutUrlCredentials = (url: string): string => url.replace(USERINFO, '$1');

/** The kind's settings with credentials left out of every URL setting (a copy). */
export function publicSettings(kind: ChannelKind, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out = { ...config };
  for (const k of URL_SETTINGS[kind] ?? []) if (typeof out[k] === 'string') out[k] = withoutUrlCredentials(out[k]);
  return out;
}

/**
 * `next` settings with the stored URL credentials put back where `next` gives the URL without
 * credentials and otherwise equal to the stored one (`previous`, same kind); a copy.
 */
export function keepUrlCredentials(kind: ChannelKind, next: Readonly<Record<string, unknown>>, previous: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out = { ...next };
  for (const k of URL_SETTINGS[kind] ?? []) {
    const n = out[k];
    const p = previous[k];
    if (typeof n === 'string' && typeof p === 'string' && !hasUrlCredentials(n) && hasUrlCredentials(p) && withoutUrlCredentials(p) === n) out[k] = p;
  }
  return out;
}
