/**
 * The wall (issue 13 §4): pure rules of the heatmap of success ratio (targets × time cells):
 * cell colours, which cell a point falls on, the visible rows, and the hover readout.
 */
import type { Wall } from '../types.ts';
import { formatLocalWithOffset, formatRatio, formatClock } from './time.ts';

/** Colours of the wall (also in charts.css as the legend's swatches). */
export const WALL_COLORS = {
  /** No attempts in the cell (or nothing measured): neutral grey. */
  nodata: '#b8bec4',
  /** A disabled target's cells without data: a colour no ratio takes. */
  disabled: '#6a51a3',
} as const;

/**
 * Colour of a success ratio in [0, 1]: red (#d73027) at 0 through yellow (#fee08b) at 0.5 to green
 * (#1a9850) at 1 (ColorBrewer RdYlGn ends), so any failure is visibly off green.
 */
export function ratioColor(ratio: number): string {
  const lerp = (a: number[], b: number[], f: number) => a.map((v, i) => Math.round(v + (b[i]! - v) * f));
  const red = [0xd7, 0x30, 0x27];
  const yellow = [0xfe, 0xe0, 0x8b];
  const green = [0x1a, 0x98, 0x50];
  const r = Math.min(1, Math.max(0, ratio));
  const [cr, cg, cb] = r < 0.5 ? lerp(red, yellow, r / 0.5) : lerp(yellow, green, (r - 0.5) / 0.5);
  return `rgb(${cr}, ${cg}, ${cb})`;
}

/** Colour of cell `j` of target row `k`. */
export function cellColor(w: Wall, k: number, j: number): string {
  const i = k * w.count + j;
  const m = w.measured[i];
  if (m != null && m > 0) return ratioColor((w.successes[i] ?? 0) / m);
  return w.targets[k]!.enabled ? WALL_COLORS.nodata : WALL_COLORS.disabled;
}

/** Geometry of the drawn wall, CSS px. */
export interface WallLayout {
  /** Width of the name column on the left. */
  labelWidth: number;
  /** Width of the cell area. */
  plotWidth: number;
  rowHeight: number;
}

/** The [first, last) rows visible at `scrollTop` in a viewport `height` px tall. */
export function visibleRows(rows: number, rowHeight: number, scrollTop: number, height: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight));
  return [first, Math.min(rows, Math.ceil((scrollTop + height) / rowHeight))];
}

/** The cell under (x, y) (relative to the wall's top-left, y including scroll), or null outside the cells. */
export function cellAt(w: Wall, l: WallLayout, x: number, y: number): { k: number; j: number } | null {
  if (x < l.labelWidth || x >= l.labelWidth + l.plotWidth || y < 0) return null;
  const k = Math.floor(y / l.rowHeight);
  const j = Math.floor(((x - l.labelWidth) / l.plotWidth) * w.count);
  return k < w.targets.length && j >= 0 && j < w.count ? { k, j } : null;
}

/** Start and end of cell `j`, UTC epoch ms (the cells' own starts: on the viewer's local clock). */
export function cellRange(w: Wall, j: number): { from: number; to: number } {
  return { from: w.t[j]!, to: w.t[j + 1] ?? w.to };
}

/**
 * The hover readout of a cell, e.g. `a-hub · 2026-12-01 10:05 +01:00–10:10 · 3 of 4 measured ok
 * (75.00 %), 5 attempts`; `no data` for an empty cell, `(disabled)` after a disabled target's name.
 */
export function wallReadout(w: Wall, k: number, j: number): string {
  const t = w.targets[k]!;
  const i = k * w.count + j;
  const { from, to } = cellRange(w, j);
  const name = `${t.name}${t.enabled ? '' : ' (disabled)'}`;
  const when = `${formatLocalWithOffset(from)}–${formatClock(to)}`;
  const a = w.attempts[i];
  if (a == null) return `${name} · ${when} · no data`;
  const m = w.measured[i] ?? 0;
  const s = w.successes[i] ?? 0;
  const counts = m > 0 ? `${s} of ${m} measured ok (${formatRatio(s / m)})` : 'nothing measured';
  return `${name} · ${when} · ${counts}, ${a} attempt${a === 1 ? '' : 's'}`;
}

/**
 * Keyboard on the wall (issue 16 §4's chart keys, per cell): ←/→ one cell, ↑/↓ one target,
 * PageUp/PageDown `pageRows` targets, Home/End the first/last cell of the row. @returns the new
 * cell, or null when `key` is not one of these
 */
export function moveCell(w: Wall, at: { k: number; j: number }, key: string, pageRows: number): { k: number; j: number } | null {
  const clampK = (k: number) => Math.max(0, Math.min(w.targets.length - 1, k));
  const clampJ = (j: number) => Math.max(0, Math.min(w.count - 1, j));
  switch (key) {
    case 'ArrowLeft':
      return { k: at.k, j: clampJ(at.j - 1) };
    case 'ArrowRight':
      return { k: at.k, j: clampJ(at.j + 1) };
    case 'ArrowUp':
      return { k: clampK(at.k - 1), j: at.j };
    case 'ArrowDown':
      return { k: clampK(at.k + 1), j: at.j };
    case 'PageUp':
      return { k: clampK(at.k - pageRows), j: at.j };
    case 'PageDown':
      return { k: clampK(at.k + pageRows), j: at.j };
    case 'Home':
      return { k: at.k, j: 0 };
    case 'End':
      return { k: at.k, j: w.count - 1 };
    default:
      return null;
  }
}

/**
 * The wall of `first` followed by `rest` (the targets after it, from `offset` = first's length),
 * or null when the two are not of one wall (another window, or targets added or removed between
 * the two requests): then the caller reads the whole wall again.
 */
export function joinWall(first: Wall, rest: Wall): Wall | null {
  if (rest.from !== first.from || rest.to !== first.to || rest.count !== first.count || rest.total !== first.total || rest.offset !== first.targets.length) return null;
  if (first.targets.length + rest.targets.length !== first.total) return null;
  return {
    ...first,
    targets: [...first.targets, ...rest.targets],
    attempts: first.attempts.concat(rest.attempts),
    measured: first.measured.concat(rest.measured),
    successes: first.successes.concat(rest.successes),
  };
}
