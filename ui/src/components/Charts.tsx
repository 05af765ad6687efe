/**
 * The history charts: three uPlot charts stacked on one time axis with a synced cursor,
 * a hover readout (bucket start with UTC offset, attempts, successes, ratio, attempts not measured
 * because of `local_error`) and drag-to-zoom.
 * Accessible (issue 16 §4): each canvas is an image named by its chart and summary (also shown as
 * its caption); the charts are one tab stop whose cursor ←/→/Home/End move bucket by bucket, with
 * the readout announced; "Show data" lists the buckets as a table (ChartData.tsx).
 * Each chart container carries `data-points` / `data-present` and its uPlot instance as `uplot`
 * (read by the browser tests).
 */
import { createEffect, createMemo, createSignal, createUniqueId, For, onCleanup, onMount, Show, untrack } from 'solid-js';
import uPlot from 'uplot';
import { connectColumns, countPresent, outcomeColumns, ratioColumns } from '../lib/series.ts';
import { connectSummary, failuresText, outcomeSummary, ratioSummary } from '../lib/chartSummary.ts';
import { chartColors, darkScheme } from '../lib/theme.ts';
import { formatLocalWithOffset, formatRatio } from '../lib/time.ts';
import { measuredAttempts, type History } from '../types.ts';
import { ChartData } from './ChartData.tsx';
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
  const [announce, setAnnounce] = createSignal('');
  // one pass per history (86,400 buckets at 24 h by 1 s), not one per chart and caption
  const summaries = createMemo(() => {
    const b = props.history.buckets;
    return [`Success ratio: ${ratioSummary(b)}`, connectSummary(b), outcomeSummary(b)];
  });

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
      const canvas = plot.root.querySelector('canvas');
      canvas?.setAttribute('role', 'img');
      canvas?.setAttribute('aria-label', `${opts.title} chart. ${untrack(summaries)[i]}`);
      el.dataset.points = String(data[0].length);
      el.dataset.present = String(countPresent((data[1] ?? []) as (number | null)[]));
      return plot;
    });
  });
  onCleanup(destroy);

  /** ←/→/Home/End move the synced cursor one bucket; the readout is then announced. */
  const onKey = (e: KeyboardEvent) => {
    const plot = plots[0];
    const n = props.history.buckets.length;
    if (!plot || n === 0) return;
    const at = hover();
    const to = { ArrowRight: at == null ? 0 : at + 1, ArrowLeft: at == null ? n - 1 : at - 1, Home: 0, End: n - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const idx = Math.max(0, Math.min(n - 1, to));
    plot.setCursor({ left: plot.valToPos(plot.data[0][idx]!, 'x'), top: plot.bbox.height / devicePixelRatio / 2 });
    setHover(idx);
    const b = props.history.buckets[idx]!;
    setAnnounce(
      b.attempts === 0
        ? `${formatLocalWithOffset(b.t)}: no probes.`
        : `${formatLocalWithOffset(b.t)}: ${b.attempts} attempts, ${b.successes} successes, ratio ${formatRatio(b.ratio)}, failures ${failuresText(b)}.`,
    );
  };

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
              <span class="mono" data-k="t">
                {formatLocalWithOffset(b().t)}
              </span>
              <span>
                attempts <b data-k="attempts">{b().attempts}</b>
              </span>
              <span>
                successes <b data-k="successes">{b().successes}</b>
              </span>
              <span>
                ratio <b data-k="ratio">{formatRatio(b().attempts > 0 ? b().ratio : null)}</b>
              </span>
              <Show when={b().attempts - measuredAttempts(b())}>
                {(n) => (
                  <span title="local_error: NetWatch's own fault; left out of the ratio">
                    not measured <b data-k="unmeasured">{n()}</b>
                  </span>
                )}
              </Show>
            </>
          )}
        </Show>
      </div>
      <div
        class="chart-keys"
        tabindex="0"
        role="group"
        data-testid="chart-cursor"
        onKeyDown={onKey}
        aria-label="History charts. Left and right arrow keys move the cursor one bucket; Home and End go to the first and last."
      >
        <For each={['ratio', 'connect', 'outcomes']}>
          {(name, i) => (
            <figure class="chart-fig">
              <div class="chart" data-chart={name} ref={(el) => (els[i()] = el)} />
              <figcaption class="chart-summary muted small" data-summary={name}>
                {summaries()[i()]}
              </figcaption>
            </figure>
          )}
        </For>
      </div>
      <p class="sr-only" role="status" data-testid="chart-announce">
        {announce()}
      </p>
      <ChartData buckets={props.history.buckets} />
    </div>
  );
}
