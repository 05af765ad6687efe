/**
 * Raw mode (issue 13 §2): uPlot data for every probe of a range. Connect time is one series of
 * points (ms, null where no handshake completed); failures sit on a lane of their own, one series
 * per failure outcome (1 where the probe ended so, else null) so each is drawn in its colour.
 */
import { FAILURE_OUTCOMES, type FailureOutcome } from '../types.ts';
import type { RawColumns } from '../../../src/domain/raw-columns.ts';
import { hostPort } from '../../../src/domain/host-port.ts';

/** uPlot data of the two raw charts; x in seconds (fractions keep the ms). */
export interface RawSeries {
  /** `[xs, connectMs]`. */
  connect: [number[], (number | null)[]];
  /** `[xs, …one series per FAILURE_OUTCOMES entry]`. */
  lane: [number[], ...(number | null)[][]];
  /** Probes that failed, per outcome. */
  failures: Record<FailureOutcome, number>;
}

/** Builds {@link RawSeries} from the API's raw columns. */
export function rawSeries(c: RawColumns): RawSeries {
  const xs = c.t.map((t) => t / 1000);
  const failures = Object.fromEntries(FAILURE_OUTCOMES.map((o) => [o, 0])) as Record<FailureOutcome, number>;
  const lanes = FAILURE_OUTCOMES.map(() => new Array<number | null>(xs.length).fill(null));
  c.outcome.forEach((o, i) => {
    if (o === 'success') return;
    const k = FAILURE_OUTCOMES.indexOf(o);
    lanes[k]![i] = 1;
    failures[o]++;
  });
  return { connect: [xs, c.connectMs], lane: [xs, ...lanes], failures };
}

/**
 * The hover readout of probe `i`: outcome, connect time, error code, and the local (source)
 * address and port it left from and the address it dialled, e.g.
 * `refused (ECONNREFUSED) · from 127.0.0.1:50003 to 127.0.0.1`.
 */
export function rawReadout(c: RawColumns, i: number): string {
  const parts: string[] = [];
  const ms = c.connectMs[i];
  parts.push(c.outcome[i] === 'success' ? `success in ${ms == null ? '—' : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`}` : `${c.outcome[i]}${c.errorCode[i] ? ` (${c.errorCode[i]})` : ''}`);
  const port = c.localPort[i];
  const local = c.localAddress[i];
  const path: string[] = [];
  if (local != null || port != null) path.push(`from ${port != null ? hostPort(local ?? '*', port) : local}`);
  if (c.address[i]) path.push(`to ${c.address[i]}`);
  if (path.length) parts.push(path.join(' '));
  return parts.join(' · ');
}
