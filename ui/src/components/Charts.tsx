/**
 * The history charts: three uPlot charts stacked on one time axis with a synced cursor,
 * a hover readout (bucket start with UTC offset, attempts, successes, ratio, attempts not measured
 * because of `local_error`) and drag-to-zoom.
 * Each chart container carries `data-points` / `data-present` and its uPlot instance as `uplot`
 * (read by the browser tests).
 */
import { createEffect, createSignal, createUniqueId, onCleanup, onMount, Show, untrack } from 'solid-js';
import uPlot from 'uplot';
import { connectColumns, countPresent, outcomeColumns, ratioColumns } from '../lib/series.ts';
import { chartColors, darkScheme } from '../lib/theme.ts';
import { formatLocalWithOffset, formatRatio } from '../lib/time.ts';
import { measuredAttempts, type History } from '../types.ts';
import { connectOptions, outcomeOptions, ratioOptions, type ChartContext } from './chartOptions.ts';

/** Props of {@link Charts}. */
export interface ChartsProps {
  history: History;
  onZoom: (from: number, to: number) => void;
}

/** A chart container element with the uPlot instance attached for tests. */
export type ChartElement = HTMLDivElement & { uplot?: uPlot };

/** The three synced history charts and their readout. */
export function Charts(props: ChartsProps) {
  let wrap!: HTMLDivElement;
  const els: ChartElement[] = [];
  let plots: uPlot[] = [];
  const syncKey = `h-${createUniqueId()}`;
  const [hover, setHover] = createSignal<number | null>(null);
  const [width, setWidth] = createSignal(800);

  const destroy = () => {
    plots.forEach((p) => p.destroy());
    plots = [];
  };

  onMount(() => {
    setWidth(Math.max(280, wrap.clientWidth));
    const ro = new ResizeObserver(() => {
      const w = Math.max(280, wrap.clientWidth);
      if (Math.abs(w - width()) > 4) {
        setWidth(w);
        plots.forEach((p) => p.setSize({ width: w, height: p.height }));
      }
    });
    ro.observe(wrap);
    onCleanup(() => ro.disconnect());
  });

  createEffect(() => {
    const h = props.history;
    darkScheme(); // drawn again in the other theme's colours when the scheme changes
    destroy();
    setHover(null);
    const ctx: ChartContext = {
      width: untrack(width),
      xMin: h.from / 1000,
      xMax: h.to / 1000,
      syncKey,
      onZoom: (from, to) => props.onZoom(from, to),
      onHover: setHover,
      points: h.buckets.length,
      colors: chartColors(),
    };
    const ratio = ratioColumns(h.buckets);
    const outcomes = outcomeColumns(h.buckets);
    const specs: [uPlot.Options, uPlot.AlignedData][] = [
      [ratioOptions(ctx), ratio as uPlot.AlignedData],
      [connectOptions(ctx), connectColumns(h.buckets) as uPlot.AlignedData],
      [outcomeOptions(ctx, outcomes.raw), outcomes.stacked as uPlot.AlignedData],
    ];
    plots = specs.map(([opts, data], i) => {
      const el = els[i]!;
      el.replaceChildren();
      const plot = new uPlot(opts, data, el);
      el.uplot = plot;
      el.dataset.points = String(data[0].length);
      el.dataset.present = String(countPresent((data[1] ?? []) as (number | null)[]));
      return plot;
    });
  });
  onCleanup(destroy);

  const hovered = () => {
    const i = hover();
    return i == null ? undefined : props.history.buckets[i];
  };

  return (
    <div class="charts" ref={wrap}>
      <div class="readout" data-testid="readout" aria-live="off">
        <Show when={hovered()} fallback={<span class="muted">Hover a chart for bucket details; drag to zoom.</span>}>
          {(b) => (
            <>
              <span class="mono" data-k="t">{formatLocalWithOffset(b().t)}</span>
              <span>attempts <b data-k="attempts">{b().attempts}</b></span>
              <span>successes <b data-k="successes">{b().successes}</b></span>
              <span>ratio <b data-k="ratio">{formatRatio(b().attempts > 0 ? b().ratio : null)}</b></span>
              <Show when={b().attempts - measuredAttempts(b())}>
                {(n) => <span title="local_error: NetWatch's own fault; left out of the ratio">not measured <b data-k="unmeasured">{n()}</b></span>}
              </Show>
            </>
          )}
        </Show>
      </div>
      <div class="chart" data-chart="ratio" ref={(el) => (els[0] = el)} />
      <div class="chart" data-chart="connect" ref={(el) => (els[1] = el)} />
      <div class="chart" data-chart="outcomes" ref={(el) => (els[2] = el)} />
    </div>
  );
}
