/**
 * Virtualised rows of a scrolling table (issue 12 §4), as a hook for components: which slice of
 * `items` is in the DOM, the spacer heights around it, and the scroll handler. The row height is
 * measured from the first rendered `tbody tr[data-target-id]` (it depends on the screen's layout);
 * the rule itself is {@link visibleRange}.
 */
import { createEffect, createMemo, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { visibleRange, type RowRange } from './virtualRows.ts';

/** What {@link useVirtualRows} gives the table. */
export interface VirtualRows<T> {
  /** Rows [start, end) of `items` to render. */
  range: Accessor<RowRange>;
  /** `items.slice(range.start, range.end)`. */
  visible: Accessor<T[]>;
  /** One row's height, px (measured once a row is rendered). */
  rowPx: Accessor<number>;
  /** Attach to the scrolling element: `ref={v.ref} onScroll={v.onScroll}`. */
  ref: (el: HTMLElement) => void;
  onScroll: () => void;
  /** Scrolls back to the top (a new search, filter or sort). */
  toTop: () => void;
}

/**
 * @param items the rows in display order; @param rowPx height assumed until measured, px;
 * @param overscan rows rendered above and below the visible ones
 */
export function useVirtualRows<T>(items: Accessor<T[]>, rowPx: number, overscan: number): VirtualRows<T> {
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewport, setViewport] = createSignal(800);
  const [measured, setMeasured] = createSignal(rowPx);
  let wrap: HTMLElement | undefined;
  const range = createMemo(() => visibleRange(items().length, scrollTop(), viewport(), measured(), overscan));
  const visible = createMemo(() => items().slice(range().start, range().end));
  const onScroll = () => {
    if (!wrap) return;
    setScrollTop(wrap.scrollTop);
    setViewport(wrap.clientHeight);
  };
  createEffect(
    on(visible, () => {
      const tr = wrap?.querySelector<HTMLElement>('tbody tr[data-target-id]');
      if (tr && tr.offsetHeight > 0 && Math.abs(tr.offsetHeight - measured()) > 0.5) setMeasured(tr.offsetHeight);
      if (wrap) setViewport(wrap.clientHeight);
    }),
  );
  window.addEventListener('resize', onScroll);
  onCleanup(() => window.removeEventListener('resize', onScroll));
  const toTop = () => {
    if (wrap) wrap.scrollTop = 0;
    setScrollTop(0);
  };
  return { range, visible, rowPx: measured, ref: (el) => (wrap = el), onScroll, toTop };
}
