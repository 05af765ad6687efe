/**
 * History of one target (/targets/:id/history): range + group-by controls, summary line,
 * three synced uPlot charts with drag-to-zoom, the Wire panel (next send times, capture filters,
 * CSV of the range; components/WirePanel.tsx) and the raw probe log below.
 * Range and group-by live in the URL query (see lib/historyUrl.ts); the bucket count is checked
 * here before anything is sent (see lib/historyPlan.ts). An id that is not a positive integer, or
 * a 404 for the target, shows "Target not found" with a link back instead of the page.
 */
import { A, useParams, useSearchParams } from '@solidjs/router';
import { batch, createResource, createSignal, onMount, Show } from 'solid-js';
import { ApiError, api } from '../api.ts';
import { Charts } from '../components/Charts.tsx';
import { HistorySummary } from '../components/HistorySummary.tsx';
import { OutageList } from '../components/OutageList.tsx';
import { ProbeLog } from '../components/ProbeLog.tsx';
import { RawMode } from '../components/RawMode.tsx';
import { RangeControls } from '../components/RangeControls.tsx';
import { TargetChanges } from '../components/TargetChanges.tsx';
import { WirePanel } from '../components/WirePanel.tsx';
import { planQuery, type PlanCause } from '../lib/historyPlan.ts';
import { queryOfView, viewFromQuery } from '../lib/historyUrl.ts';
import { presetRange } from '../lib/ranges.ts';
import { usePage } from '../lib/focus.ts';
import { loaded } from '../lib/resource.ts';
import { maintenanceIntervals } from '../../../src/domain/maintenance.ts';
import type { History } from '../types.ts';
import { hostPort } from '../../../src/domain/host-port.ts';

/** The history page. */
export function HistoryPage() {
  const params = useParams<{ id: string }>();
  const [search, setSearch] = useSearchParams();
  const id = () => Number(params.id);
  /** A well-formed id (a positive integer); anything else is a target that cannot exist. */
  const validId = () => (/^[1-9]\d{0,15}$/.test(params.id) ? id() : undefined);
  const [target] = createResource(
    () => validId() ?? false,
    (tid) => api.target(tid),
  );
  const found = () => loaded(target);
  /** No such target (bad id or 404): the page shows that and a link back, and loads nothing else. */
  const missing = () => validId() === undefined || (target.error instanceof ApiError && target.error.status === 404);

  const initial = viewFromQuery(search, Date.now());
  const [preset, setPreset] = createSignal(initial.preset);
  const [from, setFrom] = createSignal(initial.from);
  const [to, setTo] = createSignal(initial.to);
  const [groupBy, setGroupBy] = createSignal(initial.groupBy);
  const [history, setHistory] = createSignal<History | null>(null);
  const [error, setError] = createSignal('');
  const [groupByError, setGroupByError] = createSignal('');
  const [note, setNote] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  /** Location filter (issue 10): '' = every location. */
  const [location, setLocation] = createSignal('');
  const [applied, setApplied] = createSignal({ from: initial.from, to: initial.to, version: 0 });
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => (missing() ? 'Target not found' : `History · ${found()?.name ?? `#${params.id}`}`),
    () => heading,
  );

  const saveView = () => setSearch(queryOfView({ preset: preset(), from: from(), to: to(), groupBy: groupBy() }), { replace: true, scroll: false });

  /** Drops the charts and summary so nothing on screen contradicts the controls. */
  const fail = (field: 'range' | 'groupBy', message: string) =>
    batch(() => {
      setHistory(null);
      (field === 'groupBy' ? setGroupByError : setError)(message);
      setBusy(false);
    });

  let seq = 0;
  const run = async (cause: PlanCause) => {
    if (validId() === undefined) return;
    if (preset() !== 'custom') {
      const r = presetRange(preset(), Date.now())!;
      setFrom(r.from);
      setTo(r.to);
    }
    const mine = ++seq;
    const plan = planQuery(from(), to(), groupBy(), cause);
    batch(() => {
      setError('');
      setGroupByError('');
      setNote(plan.kind === 'request' ? plan.note : '');
      if (plan.kind === 'request') setGroupBy(plan.groupBy);
    });
    saveView();
    if (plan.kind === 'refuse') return fail(plan.field, plan.message);
    setBusy(true);
    const q = { from: from(), to: to() };
    try {
      const h = await api.history(id(), q.from, q.to, plan.step, undefined, location() || undefined);
      if (mine !== seq) return;
      // one update, so the probe log mounts with its final range and loads once
      batch(() => {
        setApplied((a) => ({ from: q.from, to: q.to, version: a.version + 1 }));
        setHistory(h);
        setBusy(false);
      });
    } catch (e) {
      if (mine !== seq) return;
      // a 400 names the offending parameter (e.g. too many buckets for the group-by)
      const fields = e instanceof ApiError ? e.fields : {};
      if (fields.step) return fail('groupBy', fields.step);
      fail('range', Object.values(fields).join(' ') || (e instanceof Error ? e.message : String(e)));
    }
  };
  onMount(() => void run('range'));

  const zoom = (f: number, t: number) => {
    setPreset('custom');
    setFrom(f);
    setTo(t);
    void run('range');
  };
  // the range's outages (issue 11), for the summary and the list; reloaded with each applied range
  const [outages] = createResource(
    () => validId() !== undefined && { targetId: id(), from: applied().from, to: applied().to, version: applied().version },
    (q) => api.outages({ targetId: q.targetId, from: q.from, to: q.to }).then((r) => r.outages),
  );
  const [windows] = createResource(() =>
    api
      .maintenance()
      .then((r) => r.windows)
      .catch(() => []),
  );
  const maintenance = () => maintenanceIntervals(windows() ?? [], id(), applied().from, applied().to);
  const outageList = () => (outages.error ? undefined : outages.latest);
  const hasData = () => (history()?.buckets ?? []).some((b) => b.attempts > 0);

  return (
    <section class="history">
      <div class="toolbar">
        <A href="/" class="back">
          ‹ Targets
        </A>
        <h1 ref={heading} tabindex="-1">
          <Show when={!missing()} fallback="Target not found">
            History:{' '}
            <Show when={found()} fallback={`#${params.id}`}>
              {(t) => (
                <>
                  {t().name} <span class="muted mono">{hostPort(t().host, t().port)}</span>
                </>
              )}
            </Show>
          </Show>
        </h1>
      </div>
      <Show when={missing()}>
        <p data-testid="target-missing">
          There is no target “{params.id}”: it may have been deleted, or the link is wrong. <A href="/">Back to targets</A>
        </p>
      </Show>
      <Show when={!missing()}>
        <Show when={target.error}>
          <p class="error" role="alert">
            {(target.error as Error).message}
          </p>
        </Show>
        <RangeControls
          preset={preset()}
          from={from()}
          to={to()}
          groupBy={groupBy()}
          groupByError={groupByError()}
          note={note()}
          busy={busy()}
          onPreset={(p) => {
            setPreset(p);
            void run('range');
          }}
          onFrom={(v) => {
            setPreset('custom');
            setFrom(v);
          }}
          onTo={(v) => {
            setPreset('custom');
            setTo(v);
          }}
          onGroupBy={(g) => {
            setGroupBy(g);
            void run('groupBy');
          }}
          onRun={() => void run('range')}
        />
        <Show when={(found()?.locations.length ?? 0) > 1}>
          <div class="filters">
            <label>
              Location
              <select
                value={location()}
                onChange={(e) => {
                  setLocation(e.currentTarget.value);
                  void run('range');
                }}
              >
                <option value="">All</option>
                {found()!.locations.map((l) => (
                  <option value={l}>{l}</option>
                ))}
              </select>
            </label>
          </div>
        </Show>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <Show when={!history() && busy()}>
          <p class="muted" role="status" data-testid="loading">
            Loading history…
          </p>
        </Show>
        <Show when={history()}>
          {(h) => (
            <>
              <HistorySummary history={h()} outages={outageList()} maintenance={maintenance()} />
              <Show
                when={hasData()}
                fallback={
                  <p class="empty" data-testid="no-data">
                    No data for this range.
                  </p>
                }
              >
                <Charts history={h()} onZoom={zoom} />
              </Show>
              <RawMode targetId={id()} from={applied().from} to={applied().to} />
              <p class="muted small">
                An outage runs from the first failed probe to the first success of the run that recovered the target (its failure and recovery thresholds). Uptime = successful ÷ measured probes; local
                errors and time without probes are left out.
              </p>
            </>
          )}
        </Show>
        <Show when={history()}>
          <OutageList outages={outageList()} error={outages.error ? (outages.error as Error).message : ''} onZoom={zoom} />
        </Show>
        <Show when={found()}>{(t) => <WirePanel targetId={t().id} intervalSeconds={t().intervalSeconds} from={applied().from} to={applied().to} />}</Show>
        <Show when={history()}>
          <ProbeLog targetId={id()} from={applied().from} to={applied().to} version={applied().version} location={location() || undefined} />
        </Show>
        <Show when={found()}>{(t) => <TargetChanges targetId={t().id} />}</Show>
      </Show>
    </section>
  );
}
