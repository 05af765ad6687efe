/**
 * uPlot options of the three history charts (ratio, connect time band, failure outcomes).
 * All share the x scale range, a cursor sync key and drag-to-zoom.
 */
import uPlot from 'uplot';
import { spansDays, timeAxisLabels } from '../lib/chartTime.ts';
import { isolatedIndices } from '../lib/series.ts';
import type { ChartColors } from '../lib/theme.ts';
import { formatLocalWithOffset } from '../lib/time.ts';
import { FAILURE_OUTCOMES, type FailureOutcome } from '../types.ts';

/**
 * Colour of each failure outcome in the failures chart (a record, so a new outcome cannot be left
 * without one): the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), told apart by
 * viewers with any common colour-vision deficiency, neighbours in the stack far apart (refused
 * vermillion vs timeout blue), the same in light and dark themes. `local_error` (NetWatch's own
 * fault, not the target's) is the palette's orange, as in the probe log.
 */
export const OUTCOME_COLORS: Record<FailureOutcome, string> = {
  refused: '#D55E00',
  timeout: '#0072B2',
  dns_error: '#CC79A7',
  unreachable: '#56B4E9',
  reset: '#009E73',
  error: '#7F7F7F',
  local_error: '#E69F00',
};
const colorAt = (i: number): string => OUTCOME_COLORS[FAILURE_OUTCOMES[i]!];

/** Shared settings passed to every chart. */
export interface ChartContext {
  width: number;
  /** x range, seconds. */
  xMin: number;
  xMax: number;
  syncKey: string;
  /** Called with the selected range (epoch ms) after a drag. */
  onZoom: (from: number, to: number) => void;
  /** Called with the hovered bucket index (null when the cursor leaves). */
  onHover: (idx: number | null) => void;
  /** Bucket count, to decide whether every point gets a marker. */
  points: number;
  /** Colours of the current theme (axes, grid, lines). */
  colors: ChartColors;
}

const DENSE = 120;

/** Points: all of them when sparse; otherwise only isolated ones so a lone bucket stays visible. */
function points(ctx: ChartContext): uPlot.Series.Points {
  return {
    show: ctx.points <= DENSE,
    size: 5,
    filter: (u: uPlot, si: number, show: boolean) => (show ? null : isolatedIndices(u.data[si] as (number | null)[])),
  };
}

/** The shared x axis: 24-hour local labels, with dates where the range spans days (see chartTime.ts). */
export function timeAxis(ctx: ChartContext): uPlot.Axis {
  const withDates = spansDays(ctx.xMin, ctx.xMax);
  return {
    ...themed(ctx),
    space: 80,
    values: (_u: uPlot, splits: number[], _axis: number, _space: number, incr: number) => timeAxisLabels(splits, incr, withDates),
  };
}

/** Axis colours of the theme: labels, grid lines, ticks. */
function themed(ctx: ChartContext): Pick<uPlot.Axis, 'stroke' | 'grid' | 'ticks'> {
  return { stroke: ctx.colors.axis, grid: { stroke: ctx.colors.grid, width: 1 }, ticks: { stroke: ctx.colors.grid, width: 1 } };
}

function base(ctx: ChartContext, title: string, height: number): Omit<uPlot.Options, 'series'> {
  return {
    title,
    width: ctx.width,
    height,
    scales: { x: { time: true, range: () => [ctx.xMin, ctx.xMax] } },
    cursor: {
      sync: { key: ctx.syncKey, setSeries: false },
      drag: { x: true, y: false, setScale: false },
    },
    legend: { live: true },
    hooks: {
      setSelect: [
        (u: uPlot) => {
          const { left, width } = u.select;
          if (width > 3) {
            const from = Math.round(u.posToVal(left, 'x') * 1000);
            const to = Math.round(u.posToVal(left + width, 'x') * 1000);
            ctx.onZoom(from, to);
          }
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
      setCursor: [(u: uPlot) => ctx.onHover(u.cursor.idx ?? null)],
    },
  };
}

const timeSeries: uPlot.Series = {
  label: 'Bucket start',
  value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatLocalWithOffset(v * 1000)),
};

/** Chart 1: success ratio 0..1 per bucket; empty buckets are gaps (spanGaps false). */
export function ratioOptions(ctx: ChartContext): uPlot.Options {
  return {
    ...base(ctx, 'Success ratio', 180),
    scales: { x: { time: true, range: () => [ctx.xMin, ctx.xMax] }, y: { range: [0, 1.02] } },
    axes: [timeAxis(ctx), { ...themed(ctx), values: (_u, splits) => splits.map((v) => `${Math.round(v * 100)}%`), size: 50 }],
    series: [
      timeSeries,
      {
        label: 'Ratio',
        stroke: ctx.colors.ratio,
        fill: `${ctx.colors.ratio}1f`,
        width: 1.5,
        spanGaps: false,
        points: points(ctx),
        value: (_u, v) => (v == null ? '—' : `${(v * 100).toFixed(2)} %`),
      },
    ],
  };
}

/** Chart 2: connect time min/avg/max (ms) with the min–max band filled. */
export function connectOptions(ctx: ChartContext): uPlot.Options {
  const ms = (_u: uPlot, v: number | null) => (v == null ? '—' : `${v.toFixed(2)} ms`);
  return {
    ...base(ctx, 'Connect time (ms)', 160),
    axes: [timeAxis(ctx), { ...themed(ctx), size: 50 }],
    bands: [{ series: [3, 1], fill: `${ctx.colors.connect}26` }],
    series: [
      timeSeries,
      { label: 'min', stroke: `${ctx.colors.connect}80`, width: 1, spanGaps: false, points: points(ctx), value: ms },
      { label: 'avg', stroke: ctx.colors.connect, width: 1.5, spanGaps: false, points: points(ctx), value: ms },
      { label: 'max', stroke: `${ctx.colors.connect}80`, width: 1, spanGaps: false, points: points(ctx), value: ms },
    ],
  };
}

/**
 * Chart 3: failures per bucket stacked by kind. Data are cumulative sums (see outcomeColumns);
 * bands fill each kind's slice and the legend shows the raw count from `raw`.
 */
export function outcomeOptions(ctx: ChartContext, raw: (number | null)[][]): uPlot.Options {
  return {
    ...base(ctx, 'Failures by outcome', 160),
    axes: [timeAxis(ctx), { ...themed(ctx), size: 50 }],
    scales: { x: { time: true, range: () => [ctx.xMin, ctx.xMax] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    bands: FAILURE_OUTCOMES.slice(1).map((_, i) => ({ series: [i + 2, i + 1] as [number, number], fill: `${colorAt(i + 1)}88` })),
    series: [
      timeSeries,
      ...FAILURE_OUTCOMES.map((kind, i): uPlot.Series => ({
        label: kind,
        stroke: colorAt(i),
        fill: i === 0 ? `${colorAt(0)}88` : undefined,
        width: 1,
        spanGaps: false,
        // a bucket between gaps (dense 1 s buckets of a slower target) gets a marker for the
        // kinds it holds, else a lone failure would not be drawn at all
        points: { show: false, size: 5, fill: colorAt(i), filter: (u: uPlot, si: number) => isolatedIndices(u.data[si] as (number | null)[]).filter((k) => (raw[si - 1]?.[k] ?? 0) > 0) },
        value: (_u, _v, _si, idx) => (idx == null ? '—' : String(raw[i]?.[idx] ?? '—')),
      })),
    ],
  };
}
