/**
 * Hub-to-spoke settings of a target (issue 8): source address and port range, close mode, address
 * family and address policy. Rules shared by the API and the UI (browser-safe: no Node.js imports).
 *
 * Sources: TIME_WAIT lasts 60 s on Linux (TCP_TIMEWAIT_LEN, include/net/tcp.h; RFC 9293 §3.6.1 says
 * 2·MSL); canonical IPv6 text per RFC 5952 (lower case, longest zero run as `::`, IPv4-mapped in
 * dotted form, §5); ports 1024–65535 because ports below are privileged on the hub (ip(7)).
 */
import { z } from 'zod';

/** How a successful probe ends: `fin` orderly close (default), `rst` abortive close (SO_LINGER 0). */
export const CLOSE_MODES = ['fin', 'rst'] as const;
/** One of {@link CLOSE_MODES}. */
export type CloseMode = (typeof CLOSE_MODES)[number];
/** Which resolved addresses of a name may be dialled. */
export const ADDRESS_FAMILIES = ['any', 'ipv4', 'ipv6'] as const;
/** One of {@link ADDRESS_FAMILIES}. */
export type AddressFamily = (typeof ADDRESS_FAMILIES)[number];
/** `fallback`: try the next resolved address when one fails; `first`: dial only the first. */
export const ADDRESS_POLICIES = ['fallback', 'first'] as const;
/** One of {@link ADDRESS_POLICIES}. */
export type AddressPolicy = (typeof ADDRESS_POLICIES)[number];

/** Lowest and highest source port a target may bind. */
export const MIN_SOURCE_PORT = 1024;
export const MAX_SOURCE_PORT = 65535;
/** How long Linux keeps a closed connection's 4-tuple in TIME_WAIT after the hub's FIN, ms. */
export const TIME_WAIT_MS = 60_000;
/** How long a FIN-closed probe waits for the peer's FIN before it is destroyed, ms (probe.ts). */
export const CLOSE_LINGER_MS = 2000;

const IPV4 = z.ipv4();
const IPV6 = z.ipv6();

/**
 * The canonical text of an IP literal (brackets allowed around IPv6): `::1` for `[::1]` and
 * `0:0:0:0:0:0:0:1`, `::ffff:192.0.2.1` for an IPv4-mapped address, IPv4 unchanged.
 * @returns `{ family, value }`, or null when `input` is not an IPv4 or IPv6 literal
 */
export function canonicalIp(input: string): { family: 4 | 6; value: string } | null {
  if (IPV4.safeParse(input).success) return { family: 4, value: input };
  const inner = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  if (!IPV6.safeParse(inner).success) return null;
  let value = new URL(`http://[${inner}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(value);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    value = `::ffff:${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return { family: 6, value };
}

/**
 * Fewest ports a source-port range needs with `closeMode` `fin`: a port is busy for TIME_WAIT
 * (60 s) after its attempt closed, and the close comes at most timeout + linger after the attempt
 * started; one port per attempt every `intervalSeconds`.
 * @param intervalSeconds probe interval, s; @param timeoutMs effective timeout, ms
 */
export function minFinPortRange(intervalSeconds: number, timeoutMs: number): number {
  return Math.floor((TIME_WAIT_MS + timeoutMs + CLOSE_LINGER_MS) / (intervalSeconds * 1000)) + 1;
}

/** The wire fields of a target as {@link wireIssues} reads them. */
export interface WireFields {
  /** The host's IP family when it is a literal, else null (a name). */
  hostFamily: 4 | 6 | null;
  intervalSeconds: number;
  /** Effective timeout, ms. */
  timeoutMs: number;
  sourceAddress?: string | null | undefined;
  sourcePortMin?: number | null | undefined;
  sourcePortMax?: number | null | undefined;
  closeMode?: CloseMode | undefined;
  addressFamily?: AddressFamily | undefined;
}

const FAMILY_NAME = { 4: 'IPv4', 6: 'IPv6' } as const;

/**
 * Cross-field rules of the wire settings (fields already valid one by one):
 * - both source ports or neither, min ≤ max;
 * - with `fin`, the range holds at least {@link minFinPortRange} ports;
 * - a source address of the other family than a literal host, or than `addressFamily`;
 * - `addressFamily` of the other family than a literal host.
 * @returns `[field, message]` pairs; empty when consistent
 */
export function wireIssues(t: WireFields): [string, string][] {
  const out: [string, string][] = [];
  const min = Number.isInteger(t.sourcePortMin) ? t.sourcePortMin : t.sourcePortMin === null || t.sourcePortMin === undefined ? null : undefined;
  const max = Number.isInteger(t.sourcePortMax) ? t.sourcePortMax : t.sourcePortMax === null || t.sourcePortMax === undefined ? null : undefined;
  // undefined: a port with its own error, nothing to compare
  if (min === undefined || max === undefined) {
    /* reported by the field rule */
  } else if ((min == null) !== (max == null)) {
    out.push([min == null ? 'sourcePortMin' : 'sourcePortMax', 'Give both ends of the source port range, or neither (the kernel then picks a port).']);
  } else if (min != null && max != null) {
    if (min > max) out.push(['sourcePortMax', 'Source port max must not be below source port min.']);
    else if ((t.closeMode ?? 'fin') === 'fin') {
      const need = minFinPortRange(t.intervalSeconds, t.timeoutMs);
      const have = max - min + 1;
      if (have < need) {
        out.push([
          'sourcePortMax',
          `With close mode fin each port stays in TIME_WAIT for 60 s after its attempt, so at an interval of ${t.intervalSeconds} s the range needs at least ${need} ports (it has ${have}); widen it or use close mode rst.`,
        ]);
      }
    }
  }
  const source = typeof t.sourceAddress === 'string' ? canonicalIp(t.sourceAddress) : null;
  const wanted = t.addressFamily === 'ipv4' ? 4 : t.addressFamily === 'ipv6' ? 6 : null;
  if (source && t.hostFamily && source.family !== t.hostFamily) {
    out.push(['sourceAddress', `Source address is ${FAMILY_NAME[source.family]} but the host is an ${FAMILY_NAME[t.hostFamily]} address; use a source address of the host's family.`]);
  } else if (source && wanted && source.family !== wanted) {
    out.push(['sourceAddress', `Source address is ${FAMILY_NAME[source.family]} but address family is ${t.addressFamily}.`]);
  }
  if (wanted && t.hostFamily && wanted !== t.hostFamily) {
    out.push(['addressFamily', `Address family is ${t.addressFamily} but the host is an ${FAMILY_NAME[t.hostFamily]} address.`]);
  }
  return out;
}

/** True for an IPv6 link-local address (fe80::/10, RFC 4291 §2.5.6), which needs an interface zone to bind. */
const isLinkLocal = (canonical: string): boolean => /^fe[89ab][0-9a-f]:/.test(canonical);

/**
 * Field rule of a source address: null or an IPv4/IPv6 literal; not IPv6 link-local (binding one
 * needs a zone, `%eth0`, and a link-local source cannot reach a spoke across a router anyway).
 */
export const sourceAddressField = z
  .string({ error: 'Source address must be an IP address or null.' })
  .refine((s) => canonicalIp(s) !== null, { error: 'Source address must be an IPv4 or IPv6 address (not a name), e.g. 10.0.0.5 or 2001:db8::5.' })
  .refine((s) => !isLinkLocal(canonicalIp(s)?.value ?? ''), { error: 'Source address must not be IPv6 link-local (fe80::/10); use a global or unique-local address of this host.' })
  .nullable()
  .optional();
