/**
 * Whether a target's source address belongs to this host (issue 8): a probe can bind only an
 * address of one of the host's interfaces (bind(2) fails with EADDRNOTAVAIL otherwise, ip(7)).
 * The interface list is injected (AppDeps.interfaces, default `os.networkInterfaces`) so tests
 * decide what the host has.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { canonicalIp } from '../domain/wire-rules.js';
import { ValidationError } from '../errors.js';

/** Lists the host's interfaces, as `os.networkInterfaces()` does. */
export type InterfaceLister = () => NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * The host's addresses in canonical form ({@link canonicalIp}), sorted, without duplicates and
 * without IPv6 zone ids (link-local addresses stay, without their `%iface`).
 */
export function hostAddresses(list: InterfaceLister = networkInterfaces): string[] {
  const out = new Set<string>();
  for (const infos of Object.values(list())) {
    for (const info of infos ?? []) {
      const ip = canonicalIp(info.address.split('%')[0]!);
      if (ip) out.add(ip.value);
    }
  }
  return [...out].sort();
}

/**
 * Checks a canonical source address against the host's interfaces.
 * @throws {ValidationError} on `sourceAddress` naming it and listing the host's addresses
 */
export function assertHostAddress(sourceAddress: string | null, list?: InterfaceLister): void {
  if (sourceAddress == null) return;
  const addresses = hostAddresses(list);
  if (addresses.includes(sourceAddress)) return;
  throw new ValidationError({
    sourceAddress: `Source address ${sourceAddress} is not an address of this host; the host has: ${addresses.join(', ') || 'no addresses'}.`,
  });
}
