/**
 * The dashboard's compare selection (issue 13 §3): up to {@link MAX_COMPARE} target ids, in the
 * order they were picked; one owner for this state. Kept for the session (sessionStorage), so
 * going to a history page and back keeps it. The compare page itself reads its ids from the URL.
 */
import { createSignal } from 'solid-js';

/** Most targets one comparison holds (the server's limit). */
export const MAX_COMPARE = 20;
const KEY = 'netwatch.compare';

function load(): number[] {
  try {
    const v: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x) && x > 0).slice(0, MAX_COMPARE) : [];
  } catch {
    return [];
  }
}

const [selected, setSelected] = createSignal<number[]>(typeof sessionStorage === 'undefined' ? [] : load());

/** The selected ids, in the order picked. */
export const compareSelection = selected;

/** Adds or removes `id`; adding beyond {@link MAX_COMPARE} does nothing. @returns whether `id` is now selected */
export function toggleCompare(id: number): boolean {
  const cur = selected();
  const next = cur.includes(id) ? cur.filter((x) => x !== id) : cur.length < MAX_COMPARE ? [...cur, id] : cur;
  setSelected(next);
  try {
    sessionStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    /* private mode: kept in memory only */
  }
  return next.includes(id);
}

/** Parses `ids=1,2,3` from a URL into distinct positive ids (at most {@link MAX_COMPARE}); bad entries are dropped. */
export function idsFromQuery(raw: string | undefined | null): number[] {
  const out: number[] = [];
  for (const part of (raw ?? '').split(',')) {
    const n = Number(part);
    if (/^[1-9]\d{0,9}$/.test(part) && !out.includes(n) && out.length < MAX_COMPARE) out.push(n);
  }
  return out;
}

/**
 * Colour of the i-th compared target: 20 colours told apart on light and dark backgrounds
 * (Tableau 20, dark shades first so the first ten are the most distinct).
 */
export const COMPARE_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#aec7e8',
  '#ffbb78',
  '#98df8a',
  '#ff9896',
  '#c5b0d5',
  '#c49c94',
  '#f7b6d2',
  '#c7c7c7',
  '#dbdb8d',
  '#9edae5',
] as const;
