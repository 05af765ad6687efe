/**
 * History of one target (/targets/:id/history): range + group-by controls, summary line,
 * three synced uPlot charts with drag-to-zoom, and the raw probe log below.
 */
import { A, useParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, Show } from 'solid-js';
import { ApiError, api } from '../api.ts';
import { Charts } from '../components/Charts.tsx';
import { ProbeLog } from '../components/ProbeLog.tsx';
import { RangeControls } from '../components/RangeControls.tsx';
import { summarize } from '../lib/outages.ts';
import { presetRange, stepOf } from '../lib/ranges.ts';
import { formatDuration, formatLocalWithOffset, formatRatio, formatStep } from '../lib/time.ts';
import type { History } from '../types.ts';

/** The history page. */
export function HistoryPage() {
  const params = useParams<{ id: string }>();
  const id = () => Number(params.id);
  const [target] = createResource(id, (tid) => api.target(tid));

  const initial = presetRange('1h', Date.now())!;
  const [preset, setPreset] = createSignal('1h');
  const [from, setFrom] = createSignal(initial.from);
  const [to, setTo] = createSignal(initial.to);
  const [groupBy, setGroupBy] = createSignal('auto');
  const [history, setHistory] = createSignal<History | null>(null);
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [applied, setApplied] = createSignal({ from: initial.from, to: initial.to, version: 0 });

  let seq = 0;
  const run = async () => {
    if (preset() !== 'custom') {
      const r = presetRange(preset(), Date.now())!;
      setFrom(r.from);
      setTo(r.to);
    }
    if (from() >= to()) {
      setError('“From” must be before “To”.');
      return;
    }
    const mine = ++seq;
    setBusy(true);
    try {
      const q = { from: from(), to: to() };
      const h = await api.history(id(), q.from, q.to, stepOf(groupBy()));
      if (mine !== seq) return;
      setHistory(h);
      setError('');
      setApplied((a) => ({ from: q.from, to: q.to, version: a.version + 1 }));
    } catch (e) {
      if (mine !== seq) return;
      // a 400 names the offending parameter (e.g. too many buckets for the group-by)
      const detail = e instanceof ApiError ? Object.values(e.fields).join(' ') : '';
      setError(detail || (e instanceof Error ? e.message : String(e)));
    } finally {
      if (mine === seq) setBusy(false);
    }
  };
  void run();

  const summary = createMemo(() => {
    const h = history();
    return h ? summarize(h.buckets, h.step) : null;
  });

  return (
    <section class="history">
      <div class="toolbar">
        <A href="/" class="back">‹ Targets</A>
        <h1>
          History: <Show when={target()} fallback={`#${params.id}`}>{(t) => <>{t().name} <span class="muted mono">{t().host}:{t().port}</span></>}</Show>
        </h1>
      </div>
      <Show when={target.error}>
        <p class="error" role="alert">{(target.error as Error).message}</p>
      </Show>
      <RangeControls
        preset={preset()}
        from={from()}
        to={to()}
        groupBy={groupBy()}
        busy={busy()}
        onPreset={(p) => { setPreset(p); void run(); }}
        onFrom={(v) => { setPreset('custom'); setFrom(v); }}
        onTo={(v) => { setPreset('custom'); setTo(v); }}
        onGroupBy={(g) => { setGroupBy(g); void run(); }}
        onRun={() => void run()}
      />
      <Show when={error()}>
        <p class="error" role="alert">{error()}</p>
      </Show>
      <Show when={history()}>
        {(h) => (
          <>
            <p class="summary" data-testid="summary">
              <span>{formatLocalWithOffset(h().from)} → {formatLocalWithOffset(h().to)}</span>
              <span>step <b data-testid="step">{formatStep(h().step)}</b> · {h().buckets.length} buckets</span>
              <Show when={summary()?.uptime != null}>
                <span>uptime <b data-testid="uptime">{formatRatio(summary()!.uptime)}</b></span>
                <span><b data-testid="outages">{summary()!.outages}</b> {summary()!.outages === 1 ? 'outage' : 'outages'}</span>
                <Show when={summary()!.longestOutageStart != null}>
                  <span>longest <b>{formatDuration(summary()!.longestOutageMs)}</b> from {formatLocalWithOffset(summary()!.longestOutageStart!)}</span>
                </Show>
              </Show>
            </p>
            <Show when={summary()?.attempts} fallback={<p class="empty" data-testid="no-data">No data for this range.</p>}>
              <Charts
                history={h()}
                onZoom={(f, t) => {
                  setPreset('custom');
                  setFrom(f);
                  setTo(t);
                  void run();
                }}
              />
            </Show>
            <p class="muted small">Outages count runs of consecutive buckets with a success ratio below 100 %; their length is accurate to one bucket.</p>
          </>
        )}
      </Show>
      <Show when={history()}>
        <ProbeLog targetId={id()} from={applied().from} to={applied().to} version={applied().version} />
      </Show>
    </section>
  );
}
