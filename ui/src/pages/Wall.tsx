/**
 * The wall (issue 13 §4): every target × time as a heatmap of success ratio, one row per target,
 * cells of 1 min (1 h), 5 min (24 h) or 1 h (7 d); grey where there is no data and a colour of its
 * own for disabled targets. GET /api/charts/wall (batched queries): on first load the first 100
 * targets (more than a screen of rows) are read and painted, then the rest in a second request. A uPlot
 * instance draws the time axis; a plain canvas below, synced to its x scale (the cells span its
 * plot area), draws only the rows in view (virtualised). Hover reads the target, the time and the
 * counts; a click opens that target's history zoomed to the cell. Read again every minute.
 * The canvas carries `data-rows`, `data-cells`, `data-count`, `data-first-row`, `data-drawn-rows` for tests,
 * and `data-paint-ms` (first data parsed → first cells painted) for the bench.
 */
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import uPlot from 'uplot';
import { api } from '../api.ts';
import { usePage } from '../lib/focus.ts';
import { usePolling } from '../lib/poll.ts';
import { chartColors, darkScheme } from '../lib/theme.ts';
import { cellAt, cellColor, cellRange, joinWall, moveCell, visibleRows, wallReadout, type WallLayout } from '../lib/wall.ts';
import type { Wall } from '../types.ts';
import { timeAxis } from '../components/chartOptions.ts';

const RANGES = ['1h', '24h', '7d'] as const;
type WallRange = (typeof RANGES)[number];
/** Row height and name column width, CSS px. */
const ROW_H = 14;
const LABEL_W = 180;
/** How often the wall is read again, ms. */
const REFRESH_MS = 60_000;
/** Targets of the first request: more rows than a screen shows, so first paint waits for these only. */
const FIRST_ROWS = 100;

/** The wall page. */
export function WallPage() {
  const [search, setSearch] = useSearchParams<{ range?: string }>();
  const navigate = useNavigate();
  const range = (): WallRange => ((RANGES as readonly string[]).includes(search.range ?? '') ? (search.range as WallRange) : '24h');
  const [wall, setWall] = createSignal<Wall | null>(null);
  const [error, setError] = createSignal('');
  const [readout, setReadout] = createSignal('');
  const [scrollTop, setScrollTop] = createSignal(0);
  const [width, setWidth] = createSignal(900);
  /** The cell the keyboard is on (null until the wall is focused). */
  const [focused, setFocused] = createSignal<{ k: number; j: number } | null>(null);
  let heading: HTMLHeadingElement | undefined;
  let wrap!: HTMLDivElement;
  let axisEl!: HTMLDivElement;
  let scroller!: HTMLDivElement;
  let canvas!: HTMLCanvasElement;
  let spacer!: HTMLDivElement;
  let axis: uPlot | null = null;
  let layout: WallLayout = { labelWidth: LABEL_W, plotWidth: 600, rowHeight: ROW_H };
  usePage(
    () => `Wall · ${range()}`,
    () => heading,
  );

  onMount(() => {
    setWidth(Math.max(400, wrap.clientWidth));
    const ro = new ResizeObserver(() => {
      const w = Math.max(400, wrap.clientWidth);
      if (Math.abs(w - width()) > 4) setWidth(w);
    });
    ro.observe(wrap);
    onCleanup(() => {
      ro.disconnect();
      axis?.destroy();
    });
  });

  // refreshed every minute (a wall stays on screen), and at once when the range changes
  let seq = 0;
  const load = async () => {
    const mine = ++seq;
    try {
      // first load: the rows in view from a small request, painted at once, then the rest
      const first = wall() === null;
      const w = await api.wall(range(), first ? { limit: FIRST_ROWS } : {});
      if (mine !== seq) return;
      setError('');
      setWall(w);
      performance.mark('wall-data');
      if (w.targets.length < w.total) {
        const rest = await api.wall(range(), { offset: w.targets.length });
        if (mine !== seq) return;
        setWall(joinWall(w, rest) ?? (await api.wall(range())));
      }
    } catch (e) {
      if (mine === seq) setError(e instanceof Error ? e.message : String(e));
    }
  };
  const reload = usePolling(load, REFRESH_MS);
  createEffect(on(range, () => reload(), { defer: true }));

  // the time axis: a uPlot instance whose plot area the cells span
  createEffect(() => {
    const w = wall();
    const colors = (darkScheme(), chartColors());
    axis?.destroy();
    axis = null;
    if (!w) return;
    const xMin = w.from / 1000;
    const xMax = w.to / 1000;
    const ctx = { width: width(), xMin, xMax, syncKey: 'wall', onZoom: () => undefined, onHover: () => undefined, points: 0, colors };
    axisEl.replaceChildren();
    axis = new uPlot(
      {
        width: width(),
        height: 60,
        padding: [0, 12, 0, LABEL_W],
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true, range: () => [xMin, xMax] }, y: { range: [0, 1] } },
        axes: [{ ...timeAxis(ctx), side: 0 }, { show: false }],
        series: [{}, { show: false }],
      },
      [
        [xMin, xMax],
        [null, null],
      ],
      axisEl,
    );
    const dpr = devicePixelRatio || 1;
    layout = { labelWidth: axis.bbox.left / dpr, plotWidth: axis.bbox.width / dpr, rowHeight: ROW_H };
    draw();
  });

  /** Draws the rows in view. */
  const draw = () => {
    const w = wall();
    if (!w || !canvas) return;
    const dpr = devicePixelRatio || 1;
    const cssW = width();
    const cssH = Math.min(scroller.clientHeight || 600, Math.max(ROW_H, w.targets.length * ROW_H));
    if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
      canvas.width = Math.round(cssW * dpr);
      canvas.height = Math.round(cssH * dpr);
      canvas.style.width = `${cssW}px`;
      canvas.style.height = `${cssH}px`;
    }
    spacer.style.height = `${Math.max(0, w.targets.length * ROW_H - cssH)}px`;
    const g = canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, cssW, cssH);
    const top = scrollTop();
    const [first, last] = visibleRows(w.targets.length, ROW_H, top, cssH);
    const cw = layout.plotWidth / w.count;
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    const fg = getComputedStyle(document.documentElement).getPropertyValue('--fg').trim() || '#222';
    for (let k = first; k < last; k++) {
      const y = k * ROW_H - top;
      g.fillStyle = fg;
      const t = w.targets[k]!;
      g.fillText(t.enabled ? t.name : `${t.name} (off)`, 4, y + ROW_H / 2, layout.labelWidth - 8);
      for (let j = 0; j < w.count; j++) {
        g.fillStyle = cellColor(w, k, j);
        const x0 = layout.labelWidth + j * cw;
        g.fillRect(x0, y + 1, Math.max(1, cw - (cw > 4 ? 1 : 0)), ROW_H - 2);
      }
    }
    const f = focused();
    if (f && f.k >= first && f.k < last && f.j < w.count) {
      g.strokeStyle = fg;
      g.lineWidth = 2;
      g.strokeRect(layout.labelWidth + f.j * cw - 1, f.k * ROW_H - top, Math.max(3, cw + 1), ROW_H);
    }
    Object.assign(canvas.dataset, { rows: String(w.targets.length), cells: String(w.targets.length * w.count), firstRow: String(first), drawnRows: String(last - first), count: String(w.count) });
    if (!canvas.dataset.paintMs && performance.getEntriesByName('wall-data').length) {
      canvas.dataset.paintMs = (performance.now() - performance.getEntriesByName('wall-data').pop()!.startTime).toFixed(1);
    }
  };
  createEffect(() => {
    scrollTop();
    width();
    focused();
    draw();
  });

  /** Opens the history of cell (k, j), zoomed to it. */
  const open = (w: Wall, k: number, j: number) => {
    const { from, to } = cellRange(w, j);
    navigate(`/targets/${w.targets[k]!.id}/history?from=${from}&to=${to}&step=auto`);
  };

  /** Keys move the focused cell (see moveCell), keep it in view and read it; Enter opens it. */
  const onKey = (e: KeyboardEvent) => {
    const w = wall();
    const at = focused();
    if (!w || !at || w.targets.length === 0) return;
    if (e.key === 'Enter') return open(w, at.k, at.j);
    const next = moveCell(w, at, e.key, Math.max(1, Math.floor(scroller.clientHeight / ROW_H) - 1));
    if (!next) return;
    e.preventDefault();
    setFocused(next);
    const y = next.k * ROW_H;
    if (y < scroller.scrollTop) scroller.scrollTop = y;
    else if (y + ROW_H > scroller.scrollTop + canvas.clientHeight) scroller.scrollTop = y + ROW_H - canvas.clientHeight;
    setReadout(wallReadout(w, next.k, next.j));
  };

  const cellOf = (e: MouseEvent) => {
    const w = wall();
    if (!w) return null;
    const r = canvas.getBoundingClientRect();
    const c = cellAt(w, layout, e.clientX - r.left, e.clientY - r.top + scrollTop());
    return c ? { w, ...c } : null;
  };

  return (
    <section class="wall" ref={wrap}>
      <div class="toolbar">
        <A href="/" class="back">
          ‹ Targets
        </A>
        <h1 ref={heading} tabindex="-1">
          Wall
        </h1>
        <span class="spacer" />
        <div class="presets" role="group" aria-label="Range">
          <For each={RANGES}>
            {(r) => (
              <button type="button" class="btn small" aria-pressed={range() === r} onClick={() => setSearch({ range: r })}>
                {r}
              </button>
            )}
          </For>
        </div>
      </div>
      <div class="wall-legend small">
        <span>
          <span class="swatch wall-ok" /> 100 %
        </span>
        <span>
          <span class="swatch wall-mid" /> 50 %
        </span>
        <span>
          <span class="swatch wall-bad" /> 0 %
        </span>
        <span>
          <span class="swatch wall-nodata" /> no data
        </span>
        <span>
          <span class="swatch wall-disabled" /> disabled target, no data
        </span>
        <Show when={wall()}>
          {(w) => (
            <span class="muted">
              {w().targets.length} targets × {w().count} cells of {w().step / 60 >= 60 ? `${w().step / 3600} h` : `${w().step / 60} min`}
            </span>
          )}
        </Show>
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={wall()?.targets.length === 0}>
        <p class="empty">No targets yet.</p>
      </Show>
      {/* its own sideways scroll: the wall keeps its 400 px minimum without widening the page on a phone */}
      <div class="wall-x" data-testid="wall-x">
        <div ref={axisEl} data-testid="wall-axis" />
        <div class="wall-scroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
          <canvas
            ref={canvas}
            class="wall-canvas"
            role="img"
            aria-label="Success ratio of every target over time. Arrow keys move between cells and read them; Enter opens the history of a cell."
            data-testid="wall-canvas"
            onMouseMove={(e) => {
              const c = cellOf(e);
              setReadout(c ? wallReadout(c.w, c.k, c.j) : '');
            }}
            onMouseLeave={() => setReadout('')}
            onClick={(e) => {
              const c = cellOf(e);
              if (c) open(c.w, c.k, c.j);
            }}
            tabindex="0"
            onKeyDown={onKey}
            onFocus={() => {
              const w = wall();
              if (!w || w.targets.length === 0) return;
              const at = focused() ?? { k: visibleRows(w.targets.length, ROW_H, scrollTop(), canvas.clientHeight)[0], j: w.count - 1 };
              setFocused(at);
              setReadout(wallReadout(w, at.k, at.j));
            }}
          />
          <div ref={spacer} />
        </div>
      </div>
      <p class="readout mono small" data-testid="wall-readout" aria-live="polite">
        {readout() || 'Hover a cell for its target, time and counts; click to open its history.'}
      </p>
    </section>
  );
}
