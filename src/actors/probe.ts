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
 * Deadlines run through stall.ts: one that fires late is judged after one more I/O poll, and an
 * attempt NetWatch's own stall left unjudgeable is `local_error` ESTALL, never a timeout (issue 16 §1).
 */
import { parseHost } from '../domain/host-rules.js';
import type { DialledAddress, Outcome, ProbeResult } from '../domain/types.js';
import type { AddressPolicy, CloseMode } from '../domain/wire-rules.js';
import { dialAddresses, resolveName, type Resolved } from './dial-policy.js';
import { dial, elapsedMs, outcomeOf, type Dialled, type ProbeHandle } from './dial.js';
import type { DescriptorBudget } from './fd-budget.js';
import type { SourcePorts } from './source-ports.js';
import { monoNow } from './clock.js';
import { deadline as stallDeadline, unansweredCode, type StallWatch } from './stall.js';

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
   * `timeout` (or `local_error` ESTALL when its deadline passed a stall ago, see stall.ts; the target
   * actor calls it from a message, so after an I/O poll, so two probes never overlap). Reused across probes.
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
  /**
   * NetWatch's stall watch (stall.ts): a success during whose attempt NetWatch was stalled has no
   * connect time (null: the time measured would include the stall).
   */
  stalls?: StallWatch | undefined;
  /**
   * True when a stall of NetWatch made `timeoutMs` shorter than the target's timeout (its slot's
   * tick came late): no answer within it is then `local_error` ESTALL, not a timeout (issue 16 §1).
   */
  cutByStall?: boolean | undefined;
}

/** A host as {@link parseHost} returns it. */
export type ParsedHost = ReturnType<typeof parseHost>;

/** Resolves a name (or passes an IP literal through); never throws. */
async function resolve(parsed: ParsedHost, wire: WireSpec, budgetMs: number): Promise<{ addresses: Resolved[]; dnsMs: number | null } | { errorCode: string; dnsMs: number | null }> {
  if ('error' in parsed) return { errorCode: 'EINVALIDHOST', dnsMs: null };
  if (parsed.kind !== 'name') return { addresses: [{ address: parsed.value, family: parsed.kind === 'ipv4' ? 4 : 6 }], dnsMs: null }; // not reached from probe()
  const t0 = process.hrtime.bigint();
  // RFC 6761 §6.4: resolvers should answer names under .invalid negatively without asking anyone.
  if (parsed.value === 'invalid' || parsed.value.endsWith('.invalid')) return { errorCode: 'ENOTFOUND', dnsMs: elapsedMs(t0) };
  let timer: ReturnType<typeof stallDeadline> | undefined;
  try {
    const addresses = await Promise.race([
      resolveName(parsed.value, wire.family, wire.policy),
      new Promise<never>((_, reject) => {
        // a late deadline is judged after one more I/O poll (an answer may be waiting); see stall.ts
        timer = stallDeadline(budgetMs, (late) => {
          const code = unansweredCode(late) === 'ESTALL' ? 'ESTALL' : 'EAI_TIMEOUT';
          reject(Object.assign(new Error('DNS lookup timed out'), { code }));
        });
      }),
    ]);
    if (addresses.length === 0) return { errorCode: 'ENOTFOUND', dnsMs: elapsedMs(t0) };
    return { addresses, dnsMs: elapsedMs(t0) };
  } catch (err) {
    return { errorCode: (err as NodeJS.ErrnoException).code ?? 'EAI_FAIL', dnsMs: elapsedMs(t0) };
  } finally {
    timer?.clear();
  }
}

/** One dial as a {@link DialledAddress} of the result's `addresses`. */
const dialled = (d: Dialled): DialledAddress => ({ address: d.address, outcome: d.outcome, startedAt: d.startedAt, connectMs: d.connectMs, localPort: d.localPort, errorCode: d.errorCode });

/** A result that ended before any connect(2): resolution failed or no descriptor came free. */
function early(spec: ProbeSpec, wire: WireSpec, began: number, outcome: Outcome, errorCode: string, address: string | null, dnsMs: number | null): ProbeResult {
  return {
    targetId: spec.targetId,
    startedAt: began,
    outcome,
    connectMs: null,
    dnsMs,
    address,
    localPort: null,
    errorCode,
    scheduledAt: spec.scheduledAt ?? null,
    localAddress: null,
    closeMode: wire.closeMode,
    addresses: null,
  };
}

/**
 * Probes `spec` once. `startedAt` is when the first connect() was issued (when resolution failed,
 * when it began); `address`, `localPort` and `localAddress` are those of the dial that ended it.
 * The common case (an IP literal, no port range) dials at once, without the policy's bookkeeping.
 * @returns a complete {@link ProbeResult}; connectMs is null unless the handshake completed (and
 * null on a success during which NetWatch was stalled: that time is not known)
 */
export async function probe(spec: ProbeSpec): Promise<ProbeResult> {
  const now = spec.now ?? Date.now;
  const wire = spec.wire ?? DEFAULT_WIRE;
  const began = now();
  const beganMono = monoNow();
  const deadline = performance.now() + spec.timeoutMs;
  const parsed = spec.parsed ?? parseHost(spec.host);
  let addresses: Resolved[] | null = null;
  let dnsMs: number | null = null;
  if ('error' in parsed || parsed.kind === 'name') {
    const resolved = await resolve(parsed, wire, spec.timeoutMs);
    dnsMs = resolved.dnsMs;
    if ('errorCode' in resolved) {
      const outcome: Outcome = resolved.errorCode === 'EINVALIDHOST' ? 'error' : outcomeOf(resolved.errorCode, 'dns_error');
      return early(spec, wire, began, outcome, resolved.errorCode, null, dnsMs);
    }
    addresses = resolved.addresses;
  }
  const fds = spec.budget;
  if (fds && !fds.tryAcquire()) {
    // Every probe descriptor is taken: wait for one, but never past this probe's deadline.
    const w = fds.wait(deadline - performance.now());
    if (spec.handle) spec.handle.cancel = w.cancel;
    const granted = await w.granted;
    if (spec.handle?.cancel === w.cancel) spec.handle.cancel = null;
    if (!granted) return early(spec, wire, began, 'local_error', 'EFDBUDGET', addresses ? addresses[0]!.address : (parsed as { value: string }).value, dnsMs);
  }
  // a stall while resolving or waiting for a descriptor shortened the handshake's budget (stall.ts)
  const stall = { stalls: spec.stalls, cutByStall: spec.cutByStall || (spec.stalls?.stalledSince(beganMono) ?? false) };
  let last: Dialled;
  let tried: Dialled[] | null = null;
  if (addresses === null && wire.ports === null) {
    const literal = parsed as { kind: 'ipv4' | 'ipv6'; value: string };
    last = await dial({
      address: literal.value,
      family: literal.kind === 'ipv4' ? 4 : 6,
      port: spec.port,
      localAddress: wire.sourceAddress ?? undefined,
      localPort: undefined,
      closeMode: wire.closeMode,
      budgetMs: Math.max(1, Math.round(deadline - performance.now())),
      now,
      handle: spec.handle,
      ...stall,
    });
  } else {
    const list = addresses ?? [{ address: (parsed as { value: string }).value, family: (parsed as { kind: string }).kind === 'ipv4' ? 4 : 6 }];
    tried = await dialAddresses(list, {
      port: spec.port,
      localAddress: wire.sourceAddress ?? undefined,
      ports: wire.ports,
      closeMode: wire.closeMode,
      policy: wire.policy,
      deadline,
      now,
      handle: spec.handle,
      ...stall,
    });
    last = tried[tried.length - 1]!;
  }
  // every earlier socket of the attempt was destroyed before the next was opened: one descriptor
  if (fds) {
    if (last.socket.closed) fds.release();
    else last.socket.once('close', () => fds.release());
  }
  return {
    targetId: spec.targetId,
    startedAt: tried ? tried[0]!.startedAt : last.startedAt,
    outcome: last.outcome,
    connectMs: last.connectMs,
    dnsMs,
    address: last.address,
    localPort: last.localPort,
    errorCode: last.errorCode,
    scheduledAt: spec.scheduledAt ?? null,
    localAddress: last.localAddress,
    closeMode: wire.closeMode,
    addresses: tried && tried.length > 1 ? tried.map(dialled) : null,
  };
}
