/**
 * Virtualised rows (issue 12 §4): which rows of a long list to put in the DOM for a scroll
 * position, so 10,000 targets cost what 50 do. Rows have one height (measured by the caller).
 */

/** Rows [start, end) to render. */
export interface RowRange {
  start: number;
  end: number;
}

/**
 * The rows in view plus `overscan` on each side, clamped to [0, count].
 * @param scrollTop px scrolled; @param viewport px visible; @param rowPx one row's height, px (> 0)
 */
export function visibleRange(count: number, scrollTop: number, viewport: number, rowPx: number, overscan: number): RowRange {
  const h = rowPx > 0 ? rowPx : 1;
  const first = Math.floor(Math.max(0, scrollTop) / h);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.min(count, first + Math.ceil(Math.max(0, viewport) / h) + overscan);
  return { start, end: Math.max(start, end) };
}
