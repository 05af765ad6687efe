/**
 * Raw mode (issue 13 §2): one target's probe log over a range as columns, oldest first, one
 * entry per probe, for charts that draw every probe rather than buckets (shape: domain/raw-columns.ts).
 */
import { SQL } from 'sql-template-strings';
import { MAX_RAW_PROBES, type RawColumns } from '../domain/raw-columns.js';
import { OUTCOMES, type Outcome } from '../domain/types.js';
import type { Db } from './db.js';
import { andLocation } from './location-filter.js';

/** started_at, outcome, connect_ms, local_port, local_address, address, error_code, as {@link Db.rows} reads them. */
type Row = [number, string, number | null, number | null, string | null, string | null, string | null];

const KNOWN = new Set<string>(OUTCOMES);

/**
 * The probes of one target in [from, to) (UTC epoch ms), oldest first, at most {@link MAX_RAW_PROBES}.
 * Reads raw rows only, never rollups; the (target_id, started_at) index bounds the scan. With
 * `location` (issue 10) only the probes made from that location.
 */
export async function rawColumns(db: Db, targetId: number, from: number, to: number, location?: string): Promise<RawColumns> {
  const rows = await db.rows<Row>(
    SQL`SELECT started_at, outcome, connect_ms, local_port, local_address, address, error_code
    FROM results WHERE target_id = ${targetId} AND started_at >= ${from} AND started_at < ${to}`
      .append(andLocation(location))
      .append(SQL` ORDER BY started_at, id LIMIT ${MAX_RAW_PROBES + 1}`),
  );
  const truncated = rows.length > MAX_RAW_PROBES;
  const n = Math.min(rows.length, MAX_RAW_PROBES);
  const out: RawColumns = {
    t: new Array(n),
    outcome: new Array(n),
    connectMs: new Array(n),
    localPort: new Array(n),
    localAddress: new Array(n),
    address: new Array(n),
    errorCode: new Array(n),
    truncated,
  };
  for (let i = 0; i < n; i++) {
    const [s, o, c, port, la, a, e] = rows[i]!;
    out.t[i] = Number(s);
    // an outcome this version does not know (a newer writer) reads as `error`, never as success
    out.outcome[i] = (KNOWN.has(o) ? o : 'error') as Outcome;
    // on the µs grid connect times are measured on (actors/dial.ts), as history reads them (raw-scan.ts)
    out.connectMs[i] = c == null ? null : Math.round(Number(c) * 1000) / 1000;
    out.localPort[i] = port == null ? null : Number(port);
    out.localAddress[i] = la;
    out.address[i] = a;
    out.errorCode[i] = e;
  }
  return out;
}
