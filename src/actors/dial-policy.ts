/**
 * How one attempt spends its time budget across addresses and source ports (issue 8):
 * - addresses: a name resolves to every address of the allowed family, in the resolver's order
 *   (getaddrinfo(3), RFC 6724 sorting); `first` dials only the first, `fallback` dials the next when
 *   one is refused, unreachable or times out within its share of the remaining time (remaining ÷
 *   addresses left), until one ends otherwise or the time is up;
 * - source ports: with a range, each dial takes the next port of the target's {@link SourcePorts};
 *   a port busy on the hub (bind(2) EADDRINUSE, or connect(2) EADDRNOTAVAIL/EADDRINUSE because its
 *   4-tuple is still in TIME_WAIT) is skipped for the next; when every port of the range is busy the
 *   dial ends as `local_error` EADDRINUSE with nothing sent.
 * A bind(2) EADDRNOTAVAIL means the source address is no longer on the host: `local_error` at once.
 */
import { lookup } from 'node:dns/promises';
import type { Outcome } from '../domain/types.js';
import type { AddressPolicy } from '../domain/wire-rules.js';
import { dial, type Dialled, type DialSpec, type ProbeHandle } from './dial.js';
import type { SourcePorts } from './source-ports.js';

/** A resolved address to dial. */
export interface Resolved {
  address: string;
  family: 4 | 6;
}

/** Resolves `name` to the addresses to dial (one for `first`, all for `fallback`); rejects with the resolver's error. */
export async function resolveName(name: string, family: 0 | 4 | 6, policy: AddressPolicy): Promise<Resolved[]> {
  if (policy === 'first') {
    const a = await lookup(name, { family, verbatim: true });
    return [{ address: a.address, family: a.family === 6 ? 6 : 4 }];
  }
  const all = await lookup(name, { family, verbatim: true, all: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/** Outcomes after which `fallback` tries the next address. */
const FALLBACK_ON = new Set<Outcome>(['refused', 'unreachable', 'timeout']);

/** True when a dial failed only because its source port was busy on the hub. */
function portBusy(d: Dialled): boolean {
  return d.errorCode === 'EADDRINUSE' || (d.errorCode === 'EADDRNOTAVAIL' && d.syscall === 'connect');
}

/** Dials with the next free port of `ports` (see the module doc); without a range, dials once. */
export async function dialPorts(spec: DialSpec, ports: SourcePorts | null, deadline: number): Promise<Dialled> {
  if (!ports) return dial(spec);
  let last = await dial({ ...spec, localPort: ports.take() });
  for (let i = 1; i < ports.size && portBusy(last); i++) {
    const budgetMs = Math.round(deadline - performance.now());
    if (budgetMs < 1) break;
    last = await dial({ ...spec, localPort: ports.take(), budgetMs });
  }
  if (!portBusy(last)) return last;
  // every port tried was busy: say so, whatever errno the last one gave
  return { ...last, outcome: 'local_error', errorCode: 'EADDRINUSE', localPort: null, connectMs: null };
}

/** What {@link dialAddresses} needs besides the addresses. */
export interface DialPlan {
  port: number;
  localAddress: string | undefined;
  ports: SourcePorts | null;
  closeMode: DialSpec['closeMode'];
  policy: AddressPolicy;
  /** performance.now() by which the attempt must end. */
  deadline: number;
  now: () => number;
  handle: ProbeHandle | undefined;
  /** Passed to every dial (stall.ts). */
  stalls?: DialSpec['stalls'];
  cutByStall?: boolean | undefined;
}

/**
 * Dials `addresses` by the plan's policy.
 * @returns every dial made, in order (at least one); the last one ended the attempt
 */
export async function dialAddresses(addresses: readonly Resolved[], plan: DialPlan): Promise<Dialled[]> {
  const base = { port: plan.port, localAddress: plan.localAddress, closeMode: plan.closeMode, now: plan.now, stalls: plan.stalls, cutByStall: plan.cutByStall };
  if (addresses.length === 1 || plan.policy === 'first') {
    const a = addresses[0]!;
    const budgetMs = Math.max(1, Math.round(plan.deadline - performance.now()));
    return [await dialPorts({ ...base, address: a.address, family: a.family, budgetMs, handle: plan.handle }, plan.ports, plan.deadline)];
  }
  // the caller's cancel ends the dial that is out and the attempt with it (no further address)
  let cancelled = false;
  const inner: ProbeHandle = { cancel: null };
  const cancel = () => {
    cancelled = true;
    inner.cancel?.();
  };
  if (plan.handle) plan.handle.cancel = cancel;
  const tried: Dialled[] = [];
  for (let i = 0; i < addresses.length; i++) {
    const remaining = plan.deadline - performance.now();
    if (remaining < 1 && tried.length > 0) break;
    const budgetMs = Math.max(1, Math.round(remaining / (addresses.length - i)));
    const a = addresses[i]!;
    tried.push(await dialPorts({ ...base, address: a.address, family: a.family, budgetMs, handle: inner }, plan.ports, plan.deadline));
    if (cancelled || !FALLBACK_ON.has(tried[tried.length - 1]!.outcome)) break;
  }
  if (plan.handle?.cancel === cancel) plan.handle.cancel = null;
  return tried;
}
