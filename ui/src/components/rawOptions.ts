/**
 * uPlot options of raw mode (issue 13 §2): connect time of every probe as points, and a failure
 * lane below it with one marker per failed probe in its outcome's colour (OUTCOME_COLORS).
 * Both share the x range and a cursor sync key.
 */
import uPlot from 'uplot';
import type { ChartColors } from '../lib/theme.ts';
import { formatLocalMs } from '../lib/time.ts';
import { FAILURE_OUTCOMES } from '../types.ts';
import { OUTCOME_COLORS, timeAxis, type ChartContext } from './chartOptions.ts';

/** Settings of the raw charts. */
export interface RawContext {
  width: number;
  /** x range, seconds. */
  xMin: number;
  xMax: number;
  syncKey: string;
  colors: ChartColors;
  /** Called with the hovered probe index (null when the cursor leaves). */
  onHover: (idx: number | null) => void;
}

const axisCtx = (r: RawContext): ChartContext => ({ ...r, onZoom: () => undefined, points: 0 });
const themed = (c: ChartColors) => ({ stroke: c.axis, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } });
const noLine = () => null;

function base(r: RawContext, title: string, height: number): Omit<uPlot.Options, 'series' | 'axes'> {
  return {
    title,
    width: r.width,
    height,
    scales: { x: { time: true, range: () => [r.xMin, r.xMax] } },
    cursor: { sync: { key: r.syncKey, setSeries: false }, drag: { x: false, y: false }, points: { show: false } },
    legend: { show: false },
    hooks: { setCursor: [(u: uPlot) => r.onHover(u.cursor.idx ?? null)] },
  };
}

/** Connect time (ms) of every probe, one point each; failures have none. */
export function rawConnectOptions(r: RawContext): uPlot.Options {
  return {
    ...base(r, 'Connect time of every probe (ms)', 200),
    axes: [timeAxis(axisCtx(r)), { ...themed(r.colors), size: 50 }],
    series: [
      { label: 'Probe start', value: (_u, v) => (v == null ? '—' : formatLocalMs(v * 1000)) },
      { label: 'connect', stroke: r.colors.connect, paths: noLine, points: { show: true, size: 3, width: 0, fill: r.colors.connect, stroke: r.colors.connect } },
    ],
  };
}

/** The failure lane: a marker per failed probe, coloured by outcome (one series per outcome). */
export function rawLaneOptions(r: RawContext): uPlot.Options {
  return {
    ...base(r, 'Failures (every probe)', 90),
    scales: { x: { time: true, range: () => [r.xMin, r.xMax] }, y: { range: [0, 2] } },
    axes: [timeAxis(axisCtx(r)), { ...themed(r.colors), size: 50, values: () => [] }],
    series: [
      { label: 'Probe start' },
      ...FAILURE_OUTCOMES.map((o): uPlot.Series => ({
        label: o,
        stroke: OUTCOME_COLORS[o],
        paths: noLine,
        points: { show: true, size: 7, width: 0, fill: OUTCOME_COLORS[o], stroke: OUTCOME_COLORS[o] },
      })),
    ],
  };
}
