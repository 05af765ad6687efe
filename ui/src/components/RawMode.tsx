/**
 * Raw mode on the history page (issue 13 §2): for ranges up to 24 h, a switch that draws every
 * probe of the range (GET /api/targets/:id/results?format=columns): connect time as points, each
 * failure as a marker in its outcome's colour on a lane of its own, and a hover readout with the
 * probe's time, outcome, local (source) address and port and the address dialled.
 * Containers carry `data-points` (probes drawn) / `data-failures` and `uplot` for browser tests.
 */
import { createEffect, createSignal, createUniqueId, onCleanup, Show } from 'solid-js';
import uPlot from 'uplot';
import { api } from '../api.ts';
import { rawReadout, rawSeries } from '../lib/rawSeries.ts';
import { chartColors, darkScheme } from '../lib/theme.ts';
import { formatLocalMs } from '../lib/time.ts';
import type { RawColumns } from '../../../src/domain/raw-columns.ts';
import { rawConnectOptions, rawLaneOptions } from './rawOptions.ts';
import type { ChartElement } from './Charts.tsx';

/** Longest range raw mode offers, ms (the server's limit). */
export const RAW_MAX_RANGE_MS = 86_400_000;

/** Props of {@link RawMode}: the applied range, UTC epoch ms. */
export interface RawModeProps {
  targetId: number;
  from: number;
  to: number;
}

/** The raw-mode switch and, when on, the two raw charts and their readout. */
export function RawMode(props: RawModeProps) {
  const [on, setOn] = createSignal(false);
  const [data, setData] = createSignal<RawColumns | null>(null);
  const [error, setError] = createSignal('');
  const [hover, setHover] = createSignal<number | null>(null);
  const allowed = () => props.to - props.from <= RAW_MAX_RANGE_MS;
  const syncKey = `raw-${createUniqueId()}`;
  let wrap!: HTMLDivElement;
  let connectEl!: ChartElement;
  let laneEl!: ChartElement;
  let plots: uPlot[] = [];
  const destroy = () => {
    plots.forEach((p) => p.destroy());
    plots = [];
  };
  onCleanup(destroy);

  let seq = 0;
  createEffect(() => {
    const want = on() && allowed();
    const q = { id: props.targetId, from: props.from, to: props.to };
    const mine = ++seq;
    setData(null);
    setError('');
    if (!want) return;
    api.rawResults(q.id, q.from, q.to).then(
      (d) => mine === seq && setData(d),
      (e: unknown) => mine === seq && setError(e instanceof Error ? e.message : String(e)),
    );
  });

  createEffect(() => {
    const d = data();
    darkScheme();
    destroy();
    setHover(null);
    if (!d) return;
    const s = rawSeries(d);
    const ctx = { width: Math.max(280, wrap.clientWidth), xMin: props.from / 1000, xMax: props.to / 1000, syncKey, colors: chartColors(), onHover: setHover };
    plots = [
      [connectEl, rawConnectOptions(ctx), s.connect],
      [laneEl, rawLaneOptions(ctx), s.lane],
    ].map(([el, opts, series]) => {
      const box = el as ChartElement;
      box.replaceChildren();
      const p = new uPlot(opts as uPlot.Options, series as uPlot.AlignedData, box);
      box.uplot = p;
      p.root.querySelector('canvas')?.setAttribute('role', 'img');
      return p;
    });
    connectEl.dataset.points = String(d.t.length);
    connectEl.dataset.present = String(d.connectMs.filter((v) => v != null).length);
    laneEl.dataset.failures = String(Object.values(s.failures).reduce((a, b) => a + b, 0));
    connectEl.querySelector('canvas')?.setAttribute('aria-label', `Connect time of ${d.t.length} probes`);
    laneEl.querySelector('canvas')?.setAttribute(
      'aria-label',
      `Failures: ${
        Object.entries(s.failures)
          .filter(([, n]) => n > 0)
          .map(([o, n]) => `${n} ${o}`)
          .join(', ') || 'none'
      }`,
    );
  });

  return (
    <section class="raw-mode charts" ref={wrap} data-testid="raw-mode">
      <label class="inline">
        <input type="checkbox" checked={on()} disabled={!allowed()} onChange={(e) => setOn(e.currentTarget.checked)} data-testid="raw-toggle" /> Show every probe (raw mode)
      </label>
      <Show when={!allowed()}>
        <span class="muted small"> — for ranges up to 24 hours</span>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={on() && allowed() && !data() && !error()}>
        <p class="muted" role="status">
          Loading every probe…
        </p>
      </Show>
      <Show when={data()?.truncated}>
        <p class="muted small">Only the first {data()!.t.length.toLocaleString('en-US')} probes of the range are shown.</p>
      </Show>
      <div class="chart" data-chart="raw-connect" ref={connectEl} hidden={!data()} />
      <div class="chart" data-chart="raw-lane" ref={laneEl} hidden={!data()} />
      <Show when={data()}>
        {(d) => (
          <p class="readout mono small" data-testid="raw-readout" aria-live="polite">
            {hover() != null && d().t[hover()!] != null ? `${formatLocalMs(d().t[hover()!]!)} · ${rawReadout(d(), hover()!)}` : `${d().t.length.toLocaleString('en-US')} probes; hover for details.`}
          </p>
        )}
      </Show>
    </section>
  );
}
