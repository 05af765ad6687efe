/**
 * Dashboard: every target with live status (a compact snapshot, then per-second deltas over
 * Server-Sent Events: lib/liveStream.ts; issue 12 §4), search, status filter, sortable columns,
 * virtualised rows (only the rows in view, plus a few, are in the DOM), sparklines for those rows.
 */
import { batch, createEffect, createMemo, createSignal, For, on, Show, untrack } from 'solid-js';
import { ApiError, api } from '../api.ts';
import { isAdmin } from '../session.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { TargetsEmpty, TargetsHead } from '../components/TargetsTableParts.tsx';
import { TargetEditor } from '../components/TargetEditor.tsx';
import { TargetRowView } from '../components/TargetRowView.tsx';
import { CompareBar } from '../components/CompareBar.tsx';
import { usePage } from '../lib/focus.ts';
import { useInterval } from '../lib/poll.ts';
import { applyDelta, indexOf, rowsOfSnapshot, type LiveRow } from '../lib/liveRows.ts';
import { useLiveTargets } from '../lib/liveStream.ts';
import { nextSort, rowStatus, viewRows, type Sort, type SortKey, type StatusFilter } from '../lib/targetTable.ts';
import { useVirtualRows } from '../lib/useVirtualRows.ts';
import { useSparklines } from '../lib/useSparklines.ts';
import type { Target } from '../types.ts';
import { hostPort } from '../../../src/domain/host-port.ts';

/** Row height assumed until a row has been measured, px. */
const ROW_PX = 37;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 10;
/** Sorts that the live deltas move (the others only change with a snapshot). */
const LIVE_SORTS: ReadonlySet<SortKey> = new Set(['status', 'connect', 'last']);

/** The dashboard page. */
export function Dashboard() {
  // Plain rows, changed in place by the deltas (10,000 store proxies would cost more than the
  // deltas themselves); the two revisions below say when to read them again.
  let rows: LiveRow[] = [];
  let index = new Map<number, number>();
  /** Bumped when a snapshot replaces the rows, and when a delta moves them. */
  const [listRev, setListRev] = createSignal(0);
  const [liveRev, setLiveRev] = createSignal(0);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal('');
  const [q, setQ] = createSignal('');
  const [filter, setFilter] = createSignal<StatusFilter>('all');
  /** Location filter (issue 10): '' = every location. */
  const [location, setLocation] = createSignal('');
  const [locations, setLocations] = createSignal<string[]>([]);
  const [sort, setSort] = createSignal<Sort>({ key: 'name', dir: 'asc' });
  const [now, setNow] = createSignal(Date.now());
  const [editing, setEditing] = createSignal<{ target: Target | null } | null>(null);
  const [deleting, setDeleting] = createSignal<LiveRow | null>(null);
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Targets',
    () => heading,
  );

  const refresh = useLiveTargets(location, {
    snapshot: (snap) => {
      const next = rowsOfSnapshot(snap);
      batch(() => {
        rows = next;
        index = indexOf(next);
        if (!location()) setLocations([...new Set(next.flatMap((t) => (t.locations.length ? t.locations : ['default'])))].sort());
        setListRev((n) => n + 1);
        setNow(Date.now());
        setError('');
        setLoaded(true);
      });
    },
    delta: (d) => {
      if (applyDelta(rows, index, d) > 0) setLiveRev((n) => n + 1);
    },
    error: (e) => {
      // no answer at all is the stale-data banner's to say (HealthBanner); other errors are said here
      if (!(e instanceof ApiError && e.status === 0)) setError(e instanceof Error ? e.message : String(e));
    },
  });
  useInterval(() => setNow(Date.now()), 1000);

  // Filtering and sorting read every row untracked: they re-run on a new snapshot, on a change of
  // search, filter or sort, and on deltas only when the filter or sort depends on live values.
  const view = createMemo(() => {
    listRev();
    const f = filter();
    const s = sort();
    const text = q();
    if (f !== 'all' || LIVE_SORTS.has(s.key)) liveRev();
    return untrack(() => viewRows(rows, text, f, s));
  });
  const total = createMemo(() => (listRev(), rows.length));
  const counts = createMemo(() => {
    listRev();
    liveRev();
    return untrack(() => {
      const c = { up: 0, down: 0, disabled: 0, nodata: 0 };
      for (const t of rows) c[rowStatus(t).kind]++;
      return c;
    });
  });

  // Virtualised rows: the slice in view, with spacers standing in for the rest; a new search,
  // filter or sort starts at the top. Sparklines load for the rendered rows only.
  const rowsInView = useVirtualRows(view, ROW_PX, OVERSCAN);
  const { range, visible, rowPx } = rowsInView;
  createEffect(on([q, filter, sort], () => rowsInView.toTop(), { defer: true }));
  const sparks = useSparklines(() => visible().map((t) => t.id));

  const onSort = (key: SortKey) => setSort((s) => nextSort(s, key));

  const edit = async (t: LiveRow) => {
    try {
      setEditing({ target: await api.target(t.id) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const toggle = async (t: LiveRow) => {
    try {
      await api.updateTarget(t.id, { enabled: !t.enabled });
      refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section class="dashboard">
      <div class="toolbar">
        <h1 ref={heading} tabindex="-1">
          Targets
        </h1>
        <Show
          when={loaded()}
          fallback={
            <span class="muted" role="status" data-testid="loading">
              Loading targets…
            </span>
          }
        >
          <span class="counts" aria-live="polite" data-testid="counts">
            <span class="pill pill-up">{counts().up} up</span>
            <span class="pill pill-down">{counts().down} down</span>
            <span class="pill pill-disabled">{counts().disabled} disabled</span>
            <Show when={counts().nodata}>
              <span class="pill pill-nodata">{counts().nodata} no data</span>
            </Show>
          </span>
        </Show>
        <span class="spacer" />
        <CompareBar />
        <Show when={isAdmin()}>
          <button type="button" class="btn primary" onClick={() => setEditing({ target: null })}>
            + Add target
          </button>
        </Show>
      </div>
      <div class="filters">
        <label>
          Search
          <input type="search" placeholder="name, host or port" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <label>
          Status
          <select value={filter()} onChange={(e) => setFilter(e.currentTarget.value as StatusFilter)}>
            <option value="all">All</option>
            <option value="up">Up</option>
            <option value="down">Down</option>
            <option value="disabled">Disabled</option>
            <option value="nodata">No data yet</option>
          </select>
        </label>
        <Show when={locations().length > 1 || location()}>
          <label>
            Location
            <select
              value={location()}
              onChange={(e) => {
                setLocation(e.currentTarget.value);
                refresh();
              }}
            >
              <option value="">All</option>
              <For each={locations()}>{(l) => <option value={l}>{l}</option>}</For>
            </select>
          </label>
        </Show>
        <Show when={loaded()}>
          <span class="muted">
            {view().length} of {total()} targets
          </span>
        </Show>
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="table-wrap virtual" ref={rowsInView.ref} onScroll={rowsInView.onScroll} data-testid="targets-scroll">
        <p id="targets-keys" class="sr-only">
          One Tab stop per target; left and right arrow keys reach its actions.
        </p>
        <table class="table targets" aria-label="Targets" aria-describedby="targets-keys">
          <TargetsHead sort={sort()} onSort={onSort} />
          <tbody>
            <Show when={range().start > 0}>
              <tr class="spacer" aria-hidden="true">
                <td colSpan={9} style={{ height: `${range().start * rowPx()}px` }} />
              </tr>
            </Show>
            <For each={visible()}>
              {(t) => <TargetRowView target={t} rev={liveRev()} now={now()} spark={sparks()[String(t.id)]} onEdit={(row) => void edit(row)} onToggle={toggle} onDelete={setDeleting} />}
            </For>
            <Show when={range().end < view().length}>
              <tr class="spacer" aria-hidden="true">
                <td colSpan={9} style={{ height: `${(view().length - range().end) * rowPx()}px` }} />
              </tr>
            </Show>
          </tbody>
        </table>
        <Show when={!loaded()}>
          <p class="empty" aria-hidden="true">
            Loading targets…
          </p>
        </Show>
        <Show when={loaded() && view().length === 0}>
          <TargetsEmpty none={total() === 0} onAdd={() => setEditing({ target: null })} />
        </Show>
      </div>

      <TargetEditor
        open={editing() !== null}
        target={editing()?.target ?? null}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          refresh();
        }}
      />
      <ConfirmDialog
        open={deleting() !== null}
        title="Delete target"
        message={
          <>
            Delete target <strong class="quoted">{deleting()?.name}</strong> ({hostPort(deleting()?.host ?? '', deleting()?.port ?? 0)}) and all its history?
          </>
        }
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          const t = deleting();
          if (!t) return;
          await api.deleteTarget(t.id);
          setDeleting(null);
          refresh();
        }}
      />
    </section>
  );
}
