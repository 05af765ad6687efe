/**
 * A target's wire settings (issue 8) turned into what the prober uses: the source-port cycler
 * and the address family a name is resolved in. With a source address, only addresses of its
 * family can be dialled from it (bind(2) and connect(2) need one family), so it decides the family;
 * otherwise `addressFamily` does.
 */
import type { Target } from '../domain/types.js';
import { canonicalIp } from '../domain/wire-rules.js';
import { DEFAULT_WIRE, type WireSpec } from './probe.js';
import { SourcePorts } from './source-ports.js';

/** Builds the prober's {@link WireSpec} of `t` (a new port cycler, starting at the range's first port). */
export function wireSpec(t: Target): WireSpec {
  if (t.sourceAddress === null && t.sourcePortMin === null && t.closeMode === 'fin' && t.addressFamily === 'any' && t.addressPolicy === 'fallback') {
    return DEFAULT_WIRE;
  }
  const source = t.sourceAddress === null ? null : canonicalIp(t.sourceAddress);
  const family = source ? source.family : t.addressFamily === 'ipv4' ? 4 : t.addressFamily === 'ipv6' ? 6 : 0;
  const ports = t.sourcePortMin !== null && t.sourcePortMax !== null ? new SourcePorts(t.sourcePortMin, t.sourcePortMax) : null;
  return { sourceAddress: source?.value ?? null, ports, closeMode: t.closeMode, family, policy: t.addressPolicy };
}

/** The wire settings as one string, so a change of any of them reconfigures the target's actor. */
export function wireKey(t: Target): string {
  return `${t.sourceAddress}|${t.sourcePortMin}|${t.sourcePortMax}|${t.closeMode}|${t.addressFamily}|${t.addressPolicy}`;
}
