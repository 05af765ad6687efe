/**
 * The raw-mode format (issue 13 §2): every probe of a range as columns, index i for probe i,
 * oldest first. Pure types and limits; browser-safe.
 */
import type { Outcome } from './types.js';

/** Most probes one raw-mode request returns: 24 h at the 1 s minimum interval is 86,400. */
export const MAX_RAW_PROBES = 100_000;

/** Probes as columns; every array has one entry per probe, oldest first. */
export interface RawColumns {
  /** Probe start, UTC epoch ms. */
  t: number[];
  /** Outcome of each probe, one of OUTCOMES (domain/types.ts). */
  outcome: Outcome[];
  /** Connect time, ms, on the µs grid it is measured on; null when no handshake completed. */
  connectMs: (number | null)[];
  /** Local (source) port and address the probe used; null when it never got one. */
  localPort: (number | null)[];
  localAddress: (string | null)[];
  /** Remote address dialled; null when the name did not resolve. */
  address: (string | null)[];
  /** Error code of a failure (e.g. ECONNREFUSED); null on success. */
  errorCode: (string | null)[];
  /** True when the range held more than {@link MAX_RAW_PROBES} probes and only the first were returned. */
  truncated: boolean;
}
