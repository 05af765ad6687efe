/**
 * One TCP connect to one address (the step probe.ts repeats per source port and per address):
 * optional bind to a source address/port, the handshake within a time budget, then the close the
 * target asked for — `fin` (orderly: end(), drain at most 64 KiB, destroy after 2 s) or `rst`
 * (`socket.resetAndDestroy()`: SO_LINGER 0, no TIME_WAIT on the hub). Never throws.
 * The deadline runs through stall.ts: one that fires late is judged after one more I/O poll, and no
 * answer that NetWatch's own stall may explain is `local_error` ESTALL, not a timeout (issue 16 §1).
 */
import { Socket } from 'node:net';
import { LOCAL_ERROR_CODES, type Outcome } from '../domain/types.js';
import { CLOSE_LINGER_MS, type CloseMode } from '../domain/wire-rules.js';
import { monoNow } from './clock.js';
import { deadline, unansweredCode, type StallWatch } from './stall.js';

/** Lets the caller end the dial that is out; `cancel` is null when none is. */
export interface ProbeHandle {
  cancel: (() => void) | null;
}

/** What to dial. */
export interface DialSpec {
  address: string;
  family: 4 | 6;
  port: number;
  /** Source address to bind (a canonical literal); undefined = the kernel chooses. */
  localAddress?: string | undefined;
  /** Source port to bind; undefined = ephemeral. */
  localPort?: number | undefined;
  closeMode: CloseMode;
  /** Time for the handshake, ms. */
  budgetMs: number;
  /** Wall clock `startedAt` is read on, UTC epoch ms. */
  now: () => number;
  /** Set to this dial's timeout while it is out. */
  handle?: ProbeHandle | undefined;
  /** NetWatch's stall watch: a success with a stall inside it has no connect time (stall.ts). */
  stalls?: StallWatch | undefined;
  /** A stall of NetWatch shortened this attempt's time: no answer within it is ESTALL, not a timeout. */
  cutByStall?: boolean | undefined;
}

/** How one dial ended. `syscall` says which step failed (`bind`, `connect`), null otherwise. */
export interface Dialled {
  address: string;
  outcome: Outcome;
  errorCode: string | null;
  /** SYN → handshake complete, ms with µs precision; null when no handshake happened. */
  connectMs: number | null;
  /** When connect(2) was issued, UTC epoch ms. */
  startedAt: number;
  localPort: number | null;
  localAddress: string | null;
  syscall: string | null;
  /** The socket, to know when its descriptor is given back ('close'). */
  socket: Socket;
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
export function outcomeOf(code: string, fallback: Outcome): Outcome {
  return LOCAL.has(code) ? 'local_error' : (ERRNO_OUTCOME[code] ?? fallback);
}

/** Most bytes a probe reads from a peer after the handshake before it drops the connection. */
const MAX_DRAIN_BYTES = 64 * 1024;

/** ms since `since` (a process.hrtime.bigint() reading), µs precision. */
export const elapsedMs = (since: bigint): number => Math.round(Number(process.hrtime.bigint() - since) / 1000) / 1000;

/** Dials once; see the module doc. */
export function dial(spec: DialSpec): Promise<Dialled> {
  return new Promise((done) => {
    const socket = new Socket();
    let localPort: number | null = null;
    let localAddress: string | null = null;
    let settled = false;
    const note = () => {
      localPort ??= socket.localPort ?? null;
      localAddress ??= socket.localAddress ?? null;
    };
    const startedAt = spec.now();
    const t0 = process.hrtime.bigint();
    const t0Mono = monoNow();
    const finish = (outcome: Outcome, errorCode: string | null, connectMs: number | null, syscall: string | null = null) => {
      if (settled) return;
      settled = true;
      timer.clear();
      if (spec.handle?.cancel === expire) spec.handle.cancel = null;
      note();
      done({ address: spec.address, outcome, errorCode, connectMs, startedAt, localPort, localAddress, syscall, socket });
    };
    // No answer by the deadline: a timeout, or ESTALL when NetWatch's own stall may be why.
    const expire = (lateMs = timer.lateMs()) => {
      note();
      const code = unansweredCode(lateMs, spec.cutByStall);
      finish(code === 'ESTALL' ? 'local_error' : 'timeout', code, null);
      socket.destroy();
    };
    const timer = deadline(spec.budgetMs, expire);
    if (spec.handle) spec.handle.cancel = expire;
    socket.once('connect', () => {
      const connectMs = spec.stalls?.stalledSince(t0Mono) ? null : elapsedMs(t0);
      note(); // usually read already on the tick after connect(2)
      finish('success', null, connectMs);
      if (spec.closeMode === 'rst') {
        socket.resetAndDestroy();
        return;
      }
      // Read and discard what the peer sends (a banner) so its FIN can arrive, but not without end:
      // a peer that streams forever is cut off rather than costing CPU.
      let received = 0;
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_DRAIN_BYTES) socket.destroy();
      });
      socket.end();
      setTimeout(() => socket.destroy(), CLOSE_LINGER_MS).unref();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'EUNKNOWN';
      finish(outcomeOf(code, 'error'), code, null, err.syscall ?? null);
      socket.destroy();
    });
    socket.once('close', () => finish('reset', 'ECONNRESET', null));
    if (spec.localAddress === undefined && spec.localPort === undefined) {
      socket.connect({ host: spec.address, port: spec.port, family: spec.family, autoSelectFamily: false });
    } else {
      try {
        socket.connect({ host: spec.address, port: spec.port, family: spec.family, autoSelectFamily: false, localAddress: spec.localAddress, localPort: spec.localPort });
      } catch (err) {
        // Node refuses a malformed source address or port before any syscall (ERR_INVALID_IP_ADDRESS, ERR_SOCKET_BAD_PORT)
        finish('error', (err as NodeJS.ErrnoException).code ?? 'EINVAL', null);
        socket.destroy();
      }
    }
    // net.Socket issues connect(2) on the next tick; the tick after it sees the bound source port,
    // before the event loop can deliver a RST that closes the handle.
    process.nextTick(note);
  });
}
