/**
 * Compare (issue 13 §3): up to 20 targets (ids in the URL: /compare?ids=1,2&range=24h) on two
 * charts with shared, synced axes: success ratio and average connect time, one series per target
 * in the same colour on both; one legend entry per target (hovering shows each target's values).
 * One batched request (GET /api/charts/compare). Chart containers carry `data-series` and
 * `uplot` for browser tests.
 */
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, createUniqueId, For, onCleanup, Show } from 'solid-js';
import uPlot from 'uplot';
import { ApiError, api } from '../api.ts';
import { COMPARE_COLORS, idsFromQuery } from '../lib/compareSelection.ts';
import { usePage } from '../lib/focus.ts';
import { presetRange } from '../lib/ranges.ts';
import { isolatedIndices } from '../lib/series.ts';
import { chartColors, darkScheme } from '../lib/theme.ts';
import { formatConnectMs, formatLocalWithOffset, formatRatio, formatStep } from '../lib/time.ts';
import type { Compare } from '../types.ts';
import { timeAxis, type ChartContext } from '../components/chartOptions.ts';
import type { ChartElement } from '../components/Charts.tsx';

const RANGES = ['1h', '24h', '1w'] as const;

/** The compare page. */
export function ComparePage() {
  const [search, setSearch] = useSearchParams<{ ids?: string; range?: string }>();
  const ids = () => idsFromQuery(search.ids);
  const range = () => ((RANGES as readonly string[]).includes(search.range ?? '') ? search.range! : '24h');
  const [data, setData] = createSignal<Compare | null>(null);
  const [error, setError] = createSignal('');
  const [hover, setHover] = createSignal<number | null>(null);
  const syncKey = `cmp-${createUniqueId()}`;
  let heading: HTMLHeadingElement | undefined;
  let wrap!: HTMLDivElement;
  let ratioEl!: ChartElement;
  let connectEl!: ChartElement;
  let plots: uPlot[] = [];
  /** Targets the title counts: those the answer holds (the asked ids while it loads); none named when the request was refused. */
  const count = () => (error() ? null : (data()?.targets.length ?? ids().length));
  const counted = () => (count() === null ? '' : ` ${count()} target${count() === 1 ? '' : 's'}`);
  usePage(
    () => `Compare${counted() && ` ·${counted()}`}`,
    () => heading,
  );
  const destroy = () => {
    plots.forEach((p) => p.destroy());
    plots = [];
  };
  onCleanup(destroy);

  let seq = 0;
  createEffect(() => {
    const list = ids();
    const r = presetRange(range(), Date.now())!;
    const mine = ++seq;
    setError('');
    if (list.length === 0) return setData(null);
    api.compare(list, r.from, r.to).then(
      (d) => mine === seq && setData(d),
      // a 400 names the ids that match no target (deleted, or a wrong link): say which
      (e: unknown) => mine === seq && (setData(null), setError((e instanceof ApiError && Object.values(e.fields).join(' ')) || (e instanceof Error ? e.message : String(e)))),
    );
  });

  createEffect(() => {
    const d = data();
    darkScheme();
    destroy();
    setHover(null);
    if (!d) return;
    const colors = chartColors();
    const ctx: ChartContext = { width: Math.max(280, wrap.clientWidth), xMin: d.from / 1000, xMax: d.to / 1000, syncKey, onZoom: () => undefined, onHover: setHover, points: d.t.length, colors };
    const xs = d.t.map((t) => t / 1000);
    const themed = { stroke: colors.axis, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } };
    const opts = (title: string, height: number, y: uPlot.Axis, yScale: uPlot.Scale): uPlot.Options => ({
      title,
      width: ctx.width,
      height,
      scales: { x: { time: true, range: () => [ctx.xMin, ctx.xMax] }, y: yScale },
      axes: [timeAxis(ctx), { ...themed, size: 56, ...y }],
      cursor: { sync: { key: syncKey, setSeries: true }, drag: { x: false, y: false } },
      legend: { show: false },
      hooks: { setCursor: [(u: uPlot) => setHover(u.cursor.idx ?? null)] },
      series: [
        {},
        ...d.targets.map((t, i): uPlot.Series => ({
          label: t.name,
          stroke: COMPARE_COLORS[i % COMPARE_COLORS.length],
          width: 1.5,
          spanGaps: false,
          points: { show: d.t.length <= 120, size: 4, filter: (u: uPlot, si: number, show: boolean) => (show ? null : isolatedIndices(u.data[si] as (number | null)[])) },
        })),
      ],
    });
    const ratioOpts = opts('Success ratio', 220, { values: (_u, splits) => splits.map((v) => `${Math.round(v * 100)}%`) }, { range: [0, 1.02] });
    const connOpts = opts('Average connect time (ms)', 200, {}, {});
    plots = [
      [ratioEl, ratioOpts, [xs, ...d.targets.map((t) => t.ratio)]],
      [connectEl, connOpts, [xs, ...d.targets.map((t) => t.connectAvg)]],
    ].map(([el, o, series]) => {
      const box = el as ChartElement;
      box.replaceChildren();
      const p = new uPlot(o as uPlot.Options, series as uPlot.AlignedData, box);
      box.uplot = p;
      box.dataset.series = String(d.targets.length);
      box.dataset.points = String(xs.length);
      p.root.querySelector('canvas')?.setAttribute('role', 'img');
      p.root.querySelector('canvas')?.setAttribute('aria-label', `${(o as uPlot.Options).title} of ${d.targets.map((t) => t.name).join(', ')}`);
      return p;
    });
  });

  return (
    <section class="compare">
      <div class="toolbar">
        <A href="/" class="back">
          ‹ Targets
        </A>
        <h1 ref={heading} tabindex="-1">
          Compare{counted()}
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
      <Show when={ids().length === 0}>
        <p class="empty">No targets chosen. Tick up to 20 targets on the dashboard and choose “Compare”.</p>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={data()}>
        {(d) => (
          <p class="muted small">
            {formatLocalWithOffset(d().from)} – {formatLocalWithOffset(d().to)} · step {formatStep(d().step)} · {d().t.length} buckets
          </p>
        )}
      </Show>
      <div class="charts" ref={wrap} hidden={!data()}>
        <div class="chart" data-chart="compare-ratio" ref={ratioEl} />
        <div class="chart" data-chart="compare-connect" ref={connectEl} />
        <Show when={data()}>
          {(d) => (
            <>
              <p class="readout mono small" data-testid="compare-time">
                {hover() != null ? formatLocalWithOffset(d().t[hover()!]!) : 'Hover a chart for each target’s values.'}
              </p>
              <ul class="compare-legend" data-testid="compare-legend">
                <For each={d().targets}>
                  {(t, i) => (
                    <li data-target-id={t.id}>
                      <span class={`swatch swatch-${i() % COMPARE_COLORS.length}`} aria-hidden="true" />
                      <A href={`/targets/${t.id}/history`}>{t.name}</A>
                      <Show when={!t.enabled}>
                        {' '}
                        <span class="muted">(disabled)</span>
                      </Show>
                      <span class="mono small legend-value">{hover() != null ? `${formatRatio(t.ratio[hover()!])} · ${formatConnectMs(t.connectAvg[hover()!])}` : ''}</span>
                    </li>
                  )}
                </For>
              </ul>
            </>
          )}
        </Show>
      </div>
    </section>
  );
}
