/**
 * The host rule of a target, shared by the API (src/http), the prober (src/actors), the config
 * (HOST) and the UI's editor. Browser-safe: imports nothing from Node.js.
 *
 * A host is a DNS name (RFC 1035 §2.3.4: labels ≤ 63 octets, name ≤ 253 octets, one trailing dot
 * allowed; an IDN is converted to punycode per RFC 3492 for the length check and the lookup), an
 * IPv4 address, or an IPv6 address with or without brackets (RFC 3986 §3.2.2). Every message says
 * what to type instead; a URL, `host:port` or a path (what people paste) is recognised first and
 * answered with the host to type.
 */
import { z } from 'zod';

const IPV4_SHAPE = /^[0-9.]+$/;
const IPV4 = z.ipv4();
const IPV6 = z.ipv6();
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
/** `scheme://` at the start (RFC 3986 §3.1 scheme syntax). */
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
/** `name:port` or `[v6]:port` (one colon outside brackets, then digits or nothing). */
const HOST_PORT = /^(\[[^\]]*\]|[^:[\]]+):(\d*)$/;

/** Unicode format characters (category Cf: U+00AD, U+200B–U+200D, U+FEFF, …) and other default-ignorable code points. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

/** The usual port of a scheme, said as a hint when a pasted URL names none (RFC 9110 §4.2.1, §4.2.2). */
const USUAL_PORT: Readonly<Record<string, number>> = { http: 80, https: 443 };

/**
 * How a message about a pasted host ends: the port to put in Port when it is one (1–65535, as the
 * target rule takes, src/domain/target-rules.ts), a plain "not a port" when it is not, else the
 * scheme's usual port as a hint.
 */
function portAdvice(port: string, scheme?: string): string {
  if (port === '') {
    const usual = scheme ? USUAL_PORT[scheme.toLowerCase()] : undefined;
    return usual ? ` (${scheme!.toLowerCase()} usually means port ${usual}).` : '.';
  }
  const n = Number(port);
  return n >= 1 && n <= 65535 ? `, and ${n} in Port.` : ` (${port} is not a port; Port takes 1–65535).`;
}

/**
 * The message for a URL, `host:port` or `host/path` typed as a host, naming the host to type when
 * that one is valid (as typed: an IDN is named in Unicode, not punycode); null when `host` is none
 * of these. The URL's authority is split here (RFC 3986 §3.2) rather than by `URL`, which refuses a
 * port above 65535 and rewrites the name.
 */
function pastedMistake(host: string): string | null {
  const valid = (h: string | undefined): h is string => !!h && 'kind' in parseHost(h);
  const scheme = SCHEME.exec(host);
  if (scheme) {
    const authority = host.slice(scheme[0].length).split(/[/?#]/, 1)[0]!;
    const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
    const split = HOST_PORT.exec(hostAndPort);
    const [name, port] = split ? [split[1], split[2]!] : [hostAndPort, ''];
    const without = `Type the host name or address without "${scheme[0]}" or a path`;
    return valid(name) ? `${without}: ${name}${portAdvice(port, scheme[1])}` : `${without}, e.g. db.example.com.`;
  }
  const hostPort = HOST_PORT.exec(host);
  if (hostPort) return valid(hostPort[1]) ? `Type the host alone: ${hostPort[1]}${portAdvice(hostPort[2]!)}` : 'Type the host name or address alone; the port goes in Port.';
  const slash = host.indexOf('/');
  if (slash >= 0) return valid(host.slice(0, slash)) ? `Type the host without a path: ${host.slice(0, slash)}.` : 'Type the host name or address alone, without a path, e.g. db.example.com.';
  return null;
}

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
  if (host.startsWith('[') && host.endsWith(']')) {
    const inner = host.slice(1, -1);
    if (IPV6.safeParse(inner).success) return { kind: 'ipv6', value: inner };
  }
  if (IPV6.safeParse(host).success) return { kind: 'ipv6', value: host };
  const pasted = pastedMistake(host);
  if (pasted) return { error: pasted };
  if (host.startsWith('[') || host.endsWith(']')) return { error: 'Brackets are only for an IPv6 address, e.g. [2001:db8::1].' };
  if (host.includes(':')) return { error: 'Not a valid IPv6 address; type one such as 2001:db8::1 (the port goes in Port).' };
  if (IPV4_SHAPE.test(host)) {
    if (IPV4.safeParse(host).success) return { kind: 'ipv4', value: host };
    return { error: 'Not a valid IPv4 address; type four numbers 0–255 separated by dots, e.g. 10.0.0.5.' };
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.startsWith('.') || name.includes('..')) {
    return { error: 'Host name must not start with a dot or have two dots in a row, e.g. db.example.com.' };
  }
  // ASCII is limited to what a host name may hold before URL parsing could read `@ / ? # %` as syntax.
  if (/[\x00-\x2c\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]/.test(name)) {
    return { error: 'Host name may hold only letters, digits, hyphens, underscores and dots, e.g. db.example.com.' };
  }
  let ascii: string;
  try {
    ascii = new URL(`http://${name}/`).hostname;
  } catch {
    return { error: 'Not a valid host name; type a name such as db.example.com or an IP address.' };
  }
  if (ascii.length > 253) return { error: 'Host name is longer than 253 characters.' };
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length > 63) return { error: `Part "${label.slice(0, 20)}…" of the host name is longer than 63 characters (the most between two dots).` };
    if (!LABEL.test(label)) return { error: `Part "${label}" of the host name may hold only letters, digits, hyphens and underscores, and must not start or end with a hyphen.` };
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return { error: 'Not a valid IPv4 address or host name: a name must not end in a number; an IPv4 address has four numbers, e.g. 10.0.0.5.' };
  return { kind: 'name', value: ascii };
}
