/**
 * The history page's view in its URL query, so a reload or a shared link restores it:
 * `?range=4h&step=auto` (a preset, relative to now) or `?from=<ms>&to=<ms>&step=60`
 * (a custom range, epoch ms; step in seconds or `auto`).
 */
import { GROUP_BY, presetRange, RANGE_PRESETS, stepOf } from './ranges.ts';

/** Range and group-by of the history page. `preset` is a preset label or `custom`. */
export interface HistoryView {
  preset: string;
  from: number;
  to: number;
  groupBy: string;
}

/** Query parameters as the router hands them over. */
export type QueryParams = Partial<Record<string, string | string[] | undefined>>;

/** Preset used when the URL names none (or an invalid range). */
export const DEFAULT_PRESET = '1h';

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Parses an epoch-ms query value; undefined unless it is a whole non-negative number. */
function epochMs(v: string | undefined): number | undefined {
  return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

/** The group-by label of a `step` query value (`auto`, or seconds); unknown steps mean auto. */
export function groupByOfStep(step: string | undefined): string {
  return GROUP_BY.find((g) => String(g.step) === step)?.label ?? 'auto';
}

/** Reads the view from the query; anything missing or invalid falls back to the last 1h, auto. */
export function viewFromQuery(q: QueryParams, now: number): HistoryView {
  const groupBy = groupByOfStep(one(q.step));
  const range = one(q.range);
  const from = epochMs(one(q.from));
  const to = epochMs(one(q.to));
  if (range === undefined && from !== undefined && to !== undefined && from < to) {
    return { preset: 'custom', from, to, groupBy };
  }
  const preset = RANGE_PRESETS.some((p) => p.label === range) ? range! : DEFAULT_PRESET;
  return { preset, ...presetRange(preset, now)!, groupBy };
}

/** The query of a view: `range` for a preset, `from`/`to` otherwise (the unused keys undefined, to drop them). */
export function queryOfView(v: HistoryView): Record<string, string | undefined> {
  const step = String(stepOf(v.groupBy));
  return v.preset === 'custom' ? { range: undefined, from: String(v.from), to: String(v.to), step } : { range: v.preset, from: undefined, to: undefined, step };
}
