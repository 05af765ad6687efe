/**
 * The colour scheme (issue 16 §3): the UI follows `prefers-color-scheme`; styles.css holds both
 * themes as CSS variables, and canvas charts (uPlot), which CSS cannot reach, read them here and
 * are drawn again when the scheme changes.
 */
import { createSignal } from 'solid-js';

const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
const [dark, setDark] = createSignal(query?.matches ?? false);
query?.addEventListener('change', (e) => setDark(e.matches));

/** True while the dark theme is shown (reactive: charts rebuild on change). */
export const darkScheme = dark;

/** The value of a CSS custom property on <html> (e.g. `--chart-axis`), trimmed; `fallback` when unset. */
export function cssVar(name: string, fallback = ''): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Colours a chart needs from the current theme. */
export interface ChartColors {
  axis: string;
  grid: string;
  ratio: string;
  connect: string;
}

/** The chart colours of the current theme (read `darkScheme()` first to rebuild on change). */
export function chartColors(): ChartColors {
  return {
    axis: cssVar('--chart-axis', '#535e69'),
    grid: cssVar('--chart-grid', 'rgba(0,0,0,.09)'),
    ratio: cssVar('--chart-ratio', '#1a7f37'),
    connect: cssVar('--chart-connect', '#1864ab'),
  };
}
