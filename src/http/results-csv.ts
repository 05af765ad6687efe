/**
 * The probe log as CSV (RFC 4180: header row, CRLF line ends, fields quoted when they hold a comma,
 * a quote or a line break, quotes doubled), written by csv-stringify. Times appear twice: UTC epoch
 * ms and ISO 8601 in UTC, so a row lines up with a capture's timestamps (tcpdump -tt prints epoch
 * seconds; FortiGate `a` and Wireshark print UTC date-times).
 */
import { stringify } from 'csv-stringify/sync';
import type { ProbeResult } from '../domain/types.js';

/** One CSV column: its header and how a result fills it (null → empty field). */
interface Column {
  header: string;
  value: (r: ProbeResult) => string | number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Columns per {@link ProbeResult} field, in output order. Typed as a record over every key of
 * ProbeResult, so a new result field does not compile until it has its column(s) here.
 */
const BY_FIELD = {
  targetId: [{ header: 'target_id', value: (r) => r.targetId }],
  startedAt: [
    { header: 'started_at_ms', value: (r) => r.startedAt },
    { header: 'started_at_iso', value: (r) => iso(r.startedAt) },
  ],
  outcome: [{ header: 'outcome', value: (r) => r.outcome }],
  connectMs: [{ header: 'connect_ms', value: (r) => r.connectMs }],
  dnsMs: [{ header: 'dns_ms', value: (r) => r.dnsMs }],
  address: [{ header: 'address', value: (r) => r.address }],
  localPort: [{ header: 'local_port', value: (r) => r.localPort }],
  errorCode: [{ header: 'error_code', value: (r) => r.errorCode }],
  scheduledAt: [
    { header: 'scheduled_at_ms', value: (r) => r.scheduledAt ?? null },
    { header: 'scheduled_at_iso', value: (r) => (r.scheduledAt == null ? null : iso(r.scheduledAt)) },
    // how late the SYN left its slot, ms (startedAt − scheduledAt)
    { header: 'send_lag_ms', value: (r) => (r.scheduledAt == null ? null : r.startedAt - r.scheduledAt) },
  ],
  localAddress: [{ header: 'local_address', value: (r) => r.localAddress ?? null }],
  closeMode: [{ header: 'close_mode', value: (r) => r.closeMode ?? null }],
  // every address dialled, in order, when the policy tried more than one: a JSON array
  addresses: [{ header: 'addresses_tried', value: (r) => (r.addresses?.length ? JSON.stringify(r.addresses) : null) }],
  // where the probe was sent from (issue 10); empty for results stored before nodes existed
  location: [{ header: 'location', value: (r) => r.location ?? null }],
  node: [{ header: 'node', value: (r) => r.node ?? null }],
} satisfies Record<keyof ProbeResult, Column[]>;

const COLUMNS: Column[] = Object.values(BY_FIELD).flat();

/** The CSV header names, in order. */
export const CSV_HEADERS: readonly string[] = COLUMNS.map((c) => c.header);

const OPTIONS = { record_delimiter: 'windows' } as const;

/** The header row, CRLF-terminated. */
export function csvHeader(): string {
  return stringify([CSV_HEADERS as string[]], OPTIONS);
}

/** Rows for `results`, CRLF-terminated (empty string for none). */
export function csvRows(results: readonly ProbeResult[]): string {
  return stringify(
    results.map((r) => COLUMNS.map((c) => c.value(r))),
    OPTIONS,
  );
}
