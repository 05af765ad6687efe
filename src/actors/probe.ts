/**
 * One TCP probe: resolve the host, connect to the resolved address within the time budget,
 * close with FIN, and say exactly how it ended. The function never throws.
 *
 * Outcome mapping follows connect(2) and getaddrinfo(3) errors; see {@link Outcome}. Errors that
 * mean NetWatch's own host ran out of something (LOCAL_ERROR_CODES: EMFILE, EADDRNOTAVAIL, …) are
 * `local_error`, whichever step they came from. With a descriptor budget, the socket's descriptor is
 * taken from it before connect(2) and given back when the socket has closed. Deadlines run through
 * stall.ts: one that fires late is judged after one more I/O poll, and an attempt NetWatch's own
 * stall left unjudgeable is `local_error` ESTALL, never a timeout (issue 16 §1).
 */
import { lookup } from 'node:dns/promises';
import { Socket } from 'node:net';
import { parseHost } from '../domain/target-rules.js';
import { LOCAL_ERROR_CODES, type Outcome, type ProbeResult } from '../domain/types.js';
import type { DescriptorBudget } from './fd-budget.js';
import { monoNow } from './clock.js';
import { deadline, unansweredCode, type StallWatch } from './stall.js';

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

/** Lets the caller end the probe that is out; `cancel` is null when none is. */
export interface ProbeHandle {
  cancel: (() => void) | null;
}

const ERRNO_OUTCOME: Record<string, Outcome> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ECONNRESET: 'reset',
  ENOTFOUND: 'dns_error',
  EAI_AGAIN: 'dns_error',
  EAI_FAIL: 'dns_error',
  EAI_NONAME: 'dns_error',
  ENODATA: 'dns_error',
};
const LOCAL = new Set(LOCAL_ERROR_CODES);

/** The outcome of an error code: local ones first, then the connect(2) table, else `fallback`. */
function outcomeOf(code: string, fallback: Outcome): Outcome {
  return LOCAL.has(code) ? 'local_error' : (ERRNO_OUTCOME[code] ?? fallback);
}

/** How long a closing socket may wait for the peer's FIN before it is destroyed, ms. */
const LINGER_MS = 2000;
/** Most bytes a probe reads from a peer after the handshake before it drops the connection. */
const MAX_DRAIN_BYTES = 64 * 1024;

const elapsedMs = (since: bigint): number => Math.round(Number(process.hrtime.bigint() - since) / 1000) / 1000;

/** Resolves a name (or passes an IP literal through); never throws. */
async function resolve(parsed: ParsedHost, budgetMs: number): Promise<{ address: string; family: 4 | 6; dnsMs: number | null } | { errorCode: string; dnsMs: number | null }> {
  if ('error' in parsed) return { errorCode: 'EINVALIDHOST', dnsMs: null };
  if (parsed.kind !== 'name') return { address: parsed.value, family: parsed.kind === 'ipv4' ? 4 : 6, dnsMs: null };
  const t0 = process.hrtime.bigint();
  // RFC 6761 §6.4: resolvers should answer names under .invalid negatively without asking anyone.
  if (parsed.value === 'invalid' || parsed.value.endsWith('.invalid')) return { errorCode: 'ENOTFOUND', dnsMs: elapsedMs(t0) };
  let timer: ReturnType<typeof deadline> | undefined;
  try {
    const answer = await Promise.race([
      lookup(parsed.value, { verbatim: true }),
      new Promise<never>((_, reject) => {
        // a late deadline is judged after one more I/O poll (an answer may be waiting); see stall.ts
        timer = deadline(budgetMs, (late) => {
          const code = unansweredCode(late) === 'ESTALL' ? 'ESTALL' : 'EAI_TIMEOUT';
          reject(Object.assign(new Error('DNS lookup timed out'), { code }));
        });
      }),
    ]);
    return { address: answer.address, family: answer.family === 6 ? 6 : 4, dnsMs: elapsedMs(t0) };
  } catch (err) {
    return { errorCode: (err as NodeJS.ErrnoException).code ?? 'EAI_FAIL', dnsMs: elapsedMs(t0) };
  } finally {
    timer?.clear();
  }
}

/**
 * Probes `spec` once. `startedAt` is when connect() was issued (when resolution failed, when it began).
 * @returns a complete {@link ProbeResult}; connectMs is null unless the handshake completed (and
 * null on a success during which NetWatch was stalled: that time is not known)
 */
export async function probe(spec: ProbeSpec): Promise<ProbeResult> {
  const now = spec.now ?? Date.now;
  const began = now();
  const beganMono = monoNow();
  const deadline = performance.now() + spec.timeoutMs;
  const resolved = await resolve(spec.parsed ?? parseHost(spec.host), spec.timeoutMs);
  const base = { targetId: spec.targetId, dnsMs: resolved.dnsMs };
  if ('errorCode' in resolved) {
    const outcome: Outcome = resolved.errorCode === 'EINVALIDHOST' ? 'error' : outcomeOf(resolved.errorCode, 'dns_error');
    return { ...base, startedAt: began, outcome, connectMs: null, address: null, localPort: null, errorCode: resolved.errorCode };
  }
  const fds = spec.budget;
  if (fds && !fds.tryAcquire()) {
    // Every probe descriptor is taken: wait for one, but never past this probe's deadline.
    const w = fds.wait(deadline - performance.now());
    if (spec.handle) spec.handle.cancel = w.cancel;
    const granted = await w.granted;
    if (spec.handle?.cancel === w.cancel) spec.handle.cancel = null;
    if (!granted) {
      return { ...base, startedAt: began, outcome: 'local_error', connectMs: null, address: resolved.address, localPort: null, errorCode: 'EFDBUDGET' };
    }
  }
  const budget = Math.max(1, Math.round(deadline - performance.now()));
  // a stall while resolving or waiting for a descriptor shortened the handshake's budget (stall.ts)
  const cutByStall = spec.cutByStall || (spec.stalls?.stalledSince(beganMono) ?? false);
  return connect({ ...spec, cutByStall }, resolved.address, resolved.family, budget, base.dnsMs, fds);
}

function connect(spec: ProbeSpec, address: string, family: 4 | 6, budgetMs: number, dnsMs: number | null, fds: DescriptorBudget | undefined): Promise<ProbeResult> {
  return new Promise((done) => {
    const socket = new Socket();
    let localPort: number | null = null;
    let settled = false;
    const startedAt = (spec.now ?? Date.now)();
    const t0 = process.hrtime.bigint();
    const t0Mono = monoNow();
    const finish = (outcome: Outcome, errorCode: string | null, connectMs: number | null) => {
      if (settled) return;
      settled = true;
      timer.clear();
      if (spec.handle?.cancel === expire) spec.handle.cancel = null;
      localPort ??= socket.localPort ?? null;
      done({ targetId: spec.targetId, startedAt, outcome, connectMs, dnsMs, address, localPort, errorCode });
    };
    // No answer by the deadline: a timeout, or ESTALL when NetWatch's own stall may be why (stall.ts).
    const expire = (lateMs = timer.lateMs()) => {
      localPort ??= socket.localPort ?? null;
      const code = unansweredCode(lateMs, spec.cutByStall);
      finish(code === 'ESTALL' ? 'local_error' : 'timeout', code, null);
      socket.destroy();
    };
    const timer = deadline(budgetMs, expire);
    if (spec.handle) spec.handle.cancel = expire;
    socket.once('connect', () => {
      const connectMs = spec.stalls?.stalledSince(t0Mono) ? null : elapsedMs(t0);
      localPort ??= socket.localPort ?? null; // usually read already on the tick after connect(2)
      finish('success', null, connectMs);
      // Read and discard what the peer sends (a banner) so its FIN can arrive, but not without end:
      // a peer that streams forever is cut off rather than costing CPU.
      let received = 0;
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_DRAIN_BYTES) socket.destroy();
      });
      socket.end();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'EUNKNOWN';
      finish(outcomeOf(code, 'error'), code, null);
      socket.destroy();
    });
    socket.once('close', () => finish('reset', 'ECONNRESET', null));
    // every path ends in 'close' (errors and timeouts destroy; a success lingers at most LINGER_MS)
    if (fds) socket.once('close', () => fds.release());
    socket.connect({ host: address, port: spec.port, family, autoSelectFamily: false });
    // net.Socket issues connect(2) on the next tick; the tick after it sees the bound source port,
    // before the event loop can deliver a RST that closes the handle.
    process.nextTick(() => {
      localPort ??= socket.localPort ?? null;
    });
  });
}
