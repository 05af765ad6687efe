/**
 * The live dashboard's rows (issue 12 §4): a snapshot's columns as rows, and a delta applied on
 * top of them. Pure functions on plain rows (the dashboard runs them inside a store's `produce`).
 * Wire format: src/domain/live-frame.ts.
 */
import { outcomeOf, stateOf, undeltaIds, type LiveDelta, type LiveLocation, type LiveResult, type LiveSnapshot } from '../../../src/domain/live-frame.ts';
import type { TargetState } from '../../../src/domain/target-state.ts';

/** One dashboard row. Times UTC epoch ms; `lastResult.startedAt` whole seconds once a delta moved it. */
export interface LiveRow {
  id: number;
  name: string;
  host: string;
  port: number;
  enabled: boolean;
  locations: string[];
  state: TargetState;
  stateSince: number | null;
  flapping: boolean;
  lastResult: LiveResult | null;
  ratio24h: number | null;
  byLocation: LiveLocation[];
}

/** The snapshot's columns as rows (in the snapshot's order: by id). */
export function rowsOfSnapshot(s: LiveSnapshot): LiveRow[] {
  const rows = new Array<LiveRow>(s.id.length);
  for (let k = 0; k < s.id.length; k++) {
    const at = s.lastAt[k];
    rows[k] = {
      id: s.id[k]!,
      name: s.name[k]!,
      host: s.host[k]!,
      port: s.port[k]!,
      enabled: s.enabled[k] === 1,
      locations: s.locations[k] ?? [],
      state: stateOf(s.state[k]!),
      stateSince: s.stateSince[k] ?? null,
      flapping: s.flapping[k] === 1,
      lastResult: at == null ? null : { startedAt: at, outcome: outcomeOf(s.outcome[k]!), connectMs: s.connectMs[k] ?? null, errorCode: s.errorCode[k] ?? null },
      ratio24h: s.ratio[k] ?? null,
      byLocation: s.byLocation[k] ?? [],
    };
  }
  return rows;
}

/** A result's start, from a delta's `t` (s) and age `a` (s), UTC epoch ms. */
const startOf = (t: number, a: number) => (t - a) * 1000;

/** True when a delta's result (whole second `at`) is not older than what the row shows. */
function newer(row: LiveRow, at: number): boolean {
  return !row.lastResult || at + 999 >= row.lastResult.startedAt;
}

/**
 * Applies a delta to `rows` (changed in place; `index` maps id → position). Unknown ids are
 * skipped (a target added since the snapshot comes with the next one). A replayed result older
 * than the row's is skipped, so applying a delta twice changes nothing.
 * @returns how many rows changed
 */
export function applyDelta(rows: LiveRow[], index: ReadonlyMap<number, number>, d: LiveDelta): number {
  let changed = 0;
  if (d.r) {
    const ids = undeltaIds(d.r.i);
    ids.forEach((id, k) => {
      const row = rows[index.get(id) ?? -1];
      const at = startOf(d.t, d.r!.a[k]!);
      if (!row || !newer(row, at)) return;
      row.lastResult = { startedAt: Math.max(at, row.lastResult?.startedAt ?? 0), outcome: outcomeOf(d.r!.o[k]!), connectMs: d.r!.c[k] ?? null, errorCode: d.r!.e?.[k] ?? null };
      changed++;
    });
  }
  if (d.n) {
    const ids = undeltaIds(d.n.i);
    ids.forEach((id, k) => {
      const row = rows[index.get(id) ?? -1];
      const at = startOf(d.t, d.n!.a[k]!);
      if (!row?.lastResult || at <= row.lastResult.startedAt) return;
      row.lastResult.startedAt = at;
      changed++;
    });
  }
  if (d.s) {
    const ids = undeltaIds(d.s.i);
    ids.forEach((id, k) => {
      const row = rows[index.get(id) ?? -1];
      if (!row) return;
      row.state = stateOf(d.s!.v[k]!);
      row.stateSince = d.s!.since[k] ?? null;
      changed++;
    });
  }
  return changed;
}

/** id → position of each row. */
export function indexOf(rows: readonly { id: number }[]): Map<number, number> {
  return new Map(rows.map((r, k) => [r.id, k]));
}
