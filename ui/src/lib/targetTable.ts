/**
 * Dashboard table logic: a row's status, search, status filter, sorting and paging.
 * Pure functions so 10,000 rows stay cheap to re-derive when the live deltas move them.
 */
import type { TargetRow } from '../types.ts';
import { outcomeKind, outcomeLabel } from './outcomeView.ts';
import { hostPort } from '../../../src/domain/host-port.ts';

/**
 * What the table reads of a row: a full {@link TargetRow} (GET /api/targets) and the live
 * dashboard's compact row (lib/liveRows.ts) both fit.
 */
export type TableRow = Pick<TargetRow, 'id' | 'name' | 'host' | 'port' | 'enabled' | 'ratio24h' | 'state'> & {
  lastResult: Pick<NonNullable<TargetRow['lastResult']>, 'startedAt' | 'outcome' | 'connectMs' | 'errorCode'> | null;
};

/** Status kinds a row can be in. */
export type StatusKind = 'up' | 'down' | 'disabled' | 'nodata';

/**
 * A row's status and the label its pill shows. The kind follows the target's state (the failure
 * and recovery thresholds decide up and down, as the Events page and notifications do); the label
 * adds the last probe where it differs (`up (last probe refused)` while a failure is below the
 * threshold). With no state yet (`unknown`), a failing target is `not yet down (refused)`, counted
 * with "no data", never `down`. A last result that measured nothing (`local_error`: NetWatch's own
 * fault) is `nodata`, `not measured (EMFILE)`. `byState: false` judges the last probe alone (the
 * per-location pills: the state is the target's, not the location's).
 */
export function rowStatus(t: TableRow, byState = true): { kind: StatusKind; label: string } {
  if (!t.enabled) return { kind: 'disabled', label: 'disabled' };
  const r = t.lastResult;
  if (!r) return { kind: 'nodata', label: 'no data yet' };
  const kind = outcomeKind(r.outcome);
  if (kind === 'local') return { kind: 'nodata', label: `not measured (${r.errorCode ?? outcomeLabel(r.outcome)})` };
  const last = outcomeLabel(r.outcome);
  if (byState && t.state === 'up') return { kind: 'up', label: kind === 'ok' ? 'up' : `up (last probe ${last})` };
  if (byState && t.state === 'down') return { kind: 'down', label: kind === 'ok' ? 'down (last probe success)' : `down (${last})` };
  if (kind === 'ok') return { kind: 'up', label: 'up' };
  return byState ? { kind: 'nodata', label: `not yet down (${last})` } : { kind: 'down', label: `down (${last})` };
}

/** Sortable columns. */
export type SortKey = 'name' | 'address' | 'status' | 'connect' | 'last' | 'ratio';
/** Sort column and direction. */
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

/**
 * The sort after a click on a column header: the same column flips direction; a new column
 * always starts ascending (A→Z, worst status, fastest connect, oldest probe, lowest ratio first).
 */
export function nextSort(current: Sort, key: SortKey): Sort {
  return current.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' };
}

/** Which statuses the filter lets through (`all` = every row). */
export type StatusFilter = 'all' | StatusKind;

/** True when the row matches the search text (name, host, port or host:port, case-insensitive). */
export function matchesSearch(t: TableRow, q: string): boolean {
  const s = q.trim().toLowerCase();
  if (!s) return true;
  return t.name.toLowerCase().includes(s) || hostPort(t.host, t.port).toLowerCase().includes(s);
}

const STATUS_ORDER: Record<StatusKind, number> = { down: 0, nodata: 1, up: 2, disabled: 3 };
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Compares values; nulls always sort last. */
function cmpNullable(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null && b == null) return 0;
  if (a == null) return null;
  if (b == null) return null;
  return a - b;
}

/** Returns a comparator of rows for a sort. Rows with no value sort last in both directions. */
export function comparator(sort: Sort): (a: TableRow, b: TableRow) => number {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const byNum = (get: (t: TableRow) => number | null | undefined) => (a: TableRow, b: TableRow) => {
    const va = get(a);
    const vb = get(b);
    const c = cmpNullable(va, vb);
    if (c === null) return va == null ? 1 : -1;
    return sign * c;
  };
  let primary: (a: TableRow, b: TableRow) => number;
  switch (sort.key) {
    case 'name':
      primary = (a, b) => sign * collator.compare(a.name, b.name);
      break;
    case 'address':
      primary = (a, b) => sign * (collator.compare(a.host, b.host) || a.port - b.port);
      break;
    case 'status':
      primary = (a, b) => sign * (STATUS_ORDER[rowStatus(a).kind] - STATUS_ORDER[rowStatus(b).kind] || collator.compare(rowStatus(a).label, rowStatus(b).label));
      break;
    case 'connect':
      primary = byNum((t) => t.lastResult?.connectMs);
      break;
    case 'last':
      primary = byNum((t) => t.lastResult?.startedAt);
      break;
    case 'ratio':
      primary = byNum((t) => t.ratio24h);
      break;
  }
  return (a, b) => primary(a, b) || a.id - b.id;
}

/** Filters and sorts rows. */
export function viewRows<T extends TableRow>(rows: readonly T[], q: string, filter: StatusFilter, sort: Sort): T[] {
  return rows.filter((t) => (filter === 'all' || rowStatus(t).kind === filter) && matchesSearch(t, q)).sort(comparator(sort));
}

/** One page of rows (page is 0-based and clamped to the last page). */
export function pageOf<T>(rows: readonly T[], page: number, size: number): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { rows: rows.slice(p * size, p * size + size), page: p, pages };
}
