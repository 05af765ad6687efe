/**
 * Credentials inside a channel's URL setting (`https://user:pass@host/…`, the URL's userinfo,
 * RFC 3986 §3.2.1, and the values of query parameters named like a credential: `?auth=…`,
 * `?token=…`, shown as `***`) are secrets as much as the kind's secret fields (channel-rules.ts SECRET_FIELDS):
 * they are kept in the stored settings (delivery needs them) but never leave NetWatch. Every place
 * a channel's settings are shown (the API, the audit log, the configuration export) shows the URL
 * without them ({@link publicSettings}); a URL sent back with `***` values and without userinfo
 * keeps the stored ones (domain/channel-url-merge.ts), as an omitted secret field keeps its value.
 * So an edit in the UI or a re-import of an exported file never wipes them; to change them, send
 * the URL with the new ones. Browser-safe.
 */
import type { ChannelKind } from './channel-rules.js';

/** Settings of each kind that hold a URL which is not itself a secret field (slack/teams `url` is). */
export const URL_SETTINGS: Record<ChannelKind, readonly string[]> = { webhook: ['url'], ntfy: ['url'], slack: [], teams: [], email: [] };

/** Scheme, then userinfo up to the last `@` of the authority (userinfo cannot hold `/`, `?` or `#`). */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/**
 * Query parameters that carry a credential by name, matched case-insensitively on the name
 * (percent-decoded): any name containing one of the usual words (`token`, `secret`, `key`,
 * `password`, `passwd`, `pwd`, `auth`, `sig`, `signature`, `credential`, `code`: ntfy's `auth`,
 * `access_token`, `api_token`, `apiToken`, `client_secret`, `private_token`, `access_key`,
 * `X-Amz-Signature`, OAuth's `code`), and the names `pass` and `sas`. Their values are secrets
 * too. Wide on purpose: a harmless parameter shown as `***` costs less than a leaked credential.
 */
const SECRET_PARAM = /token|secret|key|passw(?:or)?d|pwd|auth|sig|credential|code|^pass$|^sas$/i;

/** What a secret query value is shown as. */
export const HIDDEN = '***';

/** True when a raw query value is {@link HIDDEN}, as is or percent-encoded (`%2A%2A%2A`). */
export function isHidden(value: string): boolean {
  try {
    return decodeURIComponent(value) === HIDDEN;
  } catch {
    return false;
  }
}

/** `url` with each secret query value (see {@link SECRET_PARAM}) passed through `f` (raw value, decoded name); the rest byte for byte. */
export function mapSecretParams(url: string, f: (value: string, name: string) => string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const end = hash < 0 ? url.length : hash;
  const params = url
    .slice(q + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // a broken escape: compare the raw name
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${f(pair.slice(eq + 1), name)}` : pair;
    });
  return `${url.slice(0, q + 1)}${params.join('&')}${url.slice(end)}`;
}

/** True when `url` carries credentials: userinfo (`user:pass@`, even an empty `@`) or a secret query value other than {@link HIDDEN}. */
export function hasUrlCredentials(url: string): boolean {
  let secret = false;
  mapSecretParams(url, (v) => {
    if (v !== '' && !isHidden(v)) secret = true;
    return v;
  });
  return secret || USERINFO.test(url);
}

/** `url` without its userinfo and with secret query values shown as {@link HIDDEN}, otherwise unchanged (no normalisation, so it compares as sent). */
export const withoutUrlCredentials = (url: string): string => mapSecretParams(url.replace(USERINFO, '$1'), (v) => (v === '' ? v : HIDDEN));

/** `url` without its userinfo only (delivery sends that as HTTP Basic; query credentials stay in the URL the receiver expects). */
export const withoutUserinfo = (url: string): string => url.replace(USERINFO, '$1');

/** False when `url`'s userinfo (RFC 3986 §3.2.1) holds a malformed percent-escape (`a%zz:b@`); true without userinfo. */
export function userinfoDecodes(url: string): boolean {
  const m = USERINFO.exec(url);
  if (!m) return true;
  try {
    decodeURIComponent(m[0].slice(m[1]!.length, -1));
    return true;
  } catch {
    return false;
  }
}

/** True when `url` carries userinfo. */
export const hasUserinfo = (url: string): boolean => USERINFO.test(url);

/** The kind's settings with credentials left out of every URL setting (a copy). */
export function publicSettings(kind: ChannelKind, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out = { ...config };
  for (const k of URL_SETTINGS[kind] ?? []) if (typeof out[k] === 'string') out[k] = withoutUrlCredentials(out[k]);
  return out;
}

/** `url`'s userinfo as written (without the `@`), or null when it has none. */
export function userinfoOf(url: string): string | null {
  const m = USERINFO.exec(url);
  return m ? m[0].slice(m[1]!.length, -1) : null;
}

/** `url` (which has no userinfo) with `userinfo` put before its host. */
export const withUserinfo = (url: string, userinfo: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)/i, (scheme) => `${scheme}${userinfo}@`);
