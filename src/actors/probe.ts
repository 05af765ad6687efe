/**
 * One TCP probe: resolve the host, connect to the resolved address(es) within the time budget,
 * close as the target asks (FIN or RST), and say exactly how it ended. The function never throws.
 *
 * Outcome mapping follows connect(2) and getaddrinfo(3) errors; see {@link Outcome}. Errors that
 * mean NetWatch's own host ran out of something (LOCAL_ERROR_CODES: EMFILE, EADDRNOTAVAIL, …) are
 * `local_error`, whichever step they came from. With a descriptor budget, the socket's descriptor is
 * taken from it before connect(2) and given back when the last socket of the attempt has closed.
 * The wire settings (source address and ports, close mode, address family and policy; issue 8)
 * come in {@link WireSpec}; the dialling itself lives in dial.ts and dial-policy.ts.
 */
import { parseHost } from '../domain/target-rules.js';
import type { DialledAddress, Outcome, ProbeResult } from '../domain/types.js';
import type { AddressPolicy, CloseMode } from '../domain/wire-rules.js';
import { dialAddresses, resolveName, type Resolved } from './dial-policy.js';
import { elapsedMs, outcomeOf, type Dialled, type ProbeHandle } from './dial.js';
import type { DescriptorBudget } from './fd-budget.js';
import type { SourcePorts } from './source-ports.js';

export type { ProbeHandle } from './dial.js';

/** A target's wire settings as the prober uses them (built once per configuration, wire-spec.ts). */
export interface WireSpec {
  /** Canonical source address to bind; null = the kernel chooses. */
  sourceAddress: string | null;
  /** The target's source-port cycler; null = ephemeral ports. */
  ports: SourcePorts | null;
  closeMode: CloseMode;
  /** Address family a name's addresses are resolved in (0 = any). */
  family: 0 | 4 | 6;
  policy: AddressPolicy;
}

/** Wire settings of a target with none: kernel-chosen source, FIN, any family, fallback. */
export const DEFAULT_WIRE: WireSpec = Object.freeze({ sourceAddress: null, ports: null, closeMode: 'fin', family: 0, policy: 'fallback' });

/** What to probe. */
export interface ProbeSpec {
  targetId: number;
  /** Host as entered (brackets and one trailing dot allowed). */
  host: string;
  port: number;
  /** Time budget for resolution and handshake together, ms. */
  timeoutMs: number;
  /** The host parsed once by the caller (skips parsing per probe); parsed here when absent. */
  parsed?: ParsedHost | undefined;
  /**
   * Set by the probe while its connect is out: calling `cancel` ends the attempt at once as a
   * `timeout` (the target actor uses it so two probes never overlap). Reused across probes.
   */
  handle?: ProbeHandle | undefined;
  /**
   * Probe descriptors to take the socket's from (see fd-budget.ts); none = unbounded. A probe that
   * gets none before its time budget ends is `local_error` EFDBUDGET, with no packet sent.
   */
  budget?: DescriptorBudget | undefined;
  /** The wall clock `startedAt` is read on, UTC epoch ms (default `Date.now`; tests step theirs). */
  now?: (() => number) | undefined;
  /** The slot this attempt is for, UTC epoch ms (recorded as `scheduledAt`); absent = null. */
  scheduledAt?: number | undefined;
  /** Wire settings; absent = {@link DEFAULT_WIRE}. */
  wire?: WireSpec | undefined;
}

/** A host as {@link parseHost} returns it. */
export type ParsedHost = ReturnType<typeof parseHost>;

/** Resolves a name (or passes an IP literal through); never throws. */
async function resolve(parsed: ParsedHost, wire: WireSpec, budgetMs: number): Promise<{ addresses: Resolved[]; dnsMs: number | null } | { errorCode: string; dnsMs: number | null }> {
  if ('error' in parsed) return { errorCode: 'EINVALIDHOST', dnsMs: null };
  if (parsed.kind !== 'name') return { addresses: [{ address: parsed.value, family: parsed.kind === 'ipv4' ? 4 : 6 }], dnsMs: null };
  const t0 = process.hrtime.bigint();
  // RFC 6761 §6.4: resolvers should answer names under .invalid negatively without asking anyone.
  if (parsed.value === 'invalid' || parsed.value.endsWith('.invalid')) return { errorCode: 'ENOTFOUND', dnsMs: elapsedMs(t0) };
  let timer: NodeJS.Timeout | undefined;
  try {
    const addresses = await Promise.race([
      resolveName(parsed.value, wire.family, wire.policy),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'EAI_TIMEOUT' })), budgetMs);
      }),
    ]);
    if (addresses.length === 0) return { errorCode: 'ENOTFOUND', dnsMs: elapsedMs(t0) };
    return { addresses, dnsMs: elapsedMs(t0) };
  } catch (err) {
    return { errorCode: (err as NodeJS.ErrnoException).code ?? 'EAI_FAIL', dnsMs: elapsedMs(t0) };
  } finally {
    clearTimeout(timer);
  }
}

/** One dial as a {@link DialledAddress} of the result's `addresses`. */
const dialled = (d: Dialled): DialledAddress => ({ address: d.address, outcome: d.outcome, startedAt: d.startedAt, connectMs: d.connectMs, localPort: d.localPort, errorCode: d.errorCode });

/**
 * Probes `spec` once. `startedAt` is when the first connect() was issued (when resolution failed,
 * when it began); `address`, `localPort` and `localAddress` are those of the dial that ended it.
 * @returns a complete {@link ProbeResult}; connectMs is null unless the handshake completed
 */
export async function probe(spec: ProbeSpec): Promise<ProbeResult> {
  const now = spec.now ?? Date.now;
  const wire = spec.wire ?? DEFAULT_WIRE;
  const began = now();
  const deadline = performance.now() + spec.timeoutMs;
  const resolved = await resolve(spec.parsed ?? parseHost(spec.host), wire, spec.timeoutMs);
  const base = { targetId: spec.targetId, dnsMs: resolved.dnsMs, scheduledAt: spec.scheduledAt ?? null, closeMode: wire.closeMode };
  if ('errorCode' in resolved) {
    const outcome: Outcome = resolved.errorCode === 'EINVALIDHOST' ? 'error' : outcomeOf(resolved.errorCode, 'dns_error');
    return { ...base, startedAt: began, outcome, connectMs: null, address: null, localPort: null, errorCode: resolved.errorCode, localAddress: null, addresses: null };
  }
  const fds = spec.budget;
  if (fds && !fds.tryAcquire()) {
    // Every probe descriptor is taken: wait for one, but never past this probe's deadline.
    const w = fds.wait(deadline - performance.now());
    if (spec.handle) spec.handle.cancel = w.cancel;
    const granted = await w.granted;
    if (spec.handle?.cancel === w.cancel) spec.handle.cancel = null;
    if (!granted) {
      const address = resolved.addresses[0]!.address;
      return { ...base, startedAt: began, outcome: 'local_error', connectMs: null, address, localPort: null, errorCode: 'EFDBUDGET', localAddress: null, addresses: null };
    }
  }
  const tried = await dialAddresses(resolved.addresses, {
    port: spec.port, localAddress: wire.sourceAddress ?? undefined, ports: wire.ports, closeMode: wire.closeMode, policy: wire.policy, deadline, now, handle: spec.handle,
  });
  const last = tried[tried.length - 1]!;
  // every earlier socket of the attempt was destroyed before the next was opened: one descriptor
  if (fds) {
    if (last.socket.closed) fds.release();
    else last.socket.once('close', () => fds.release());
  }
  return {
    ...base, startedAt: tried[0]!.startedAt, outcome: last.outcome, connectMs: last.connectMs, address: last.address, localPort: last.localPort,
    errorCode: last.errorCode, localAddress: last.localAddress, addresses: tried.length > 1 ? tried.map(dialled) : null,
  };
}
