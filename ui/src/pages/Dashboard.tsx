/**
 * Dashboard: every target with live status (polls GET /api/targets every 2 s), search,
 * status filter, sortable columns, 50 rows per page, sparklines for the visible rows only.
 */
import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { ApiError, api } from '../api.ts';
import { isAdmin } from '../session.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { Pager } from '../components/Pager.tsx';
import { SortHeader } from '../components/SortHeader.tsx';
import { TargetEditor } from '../components/TargetEditor.tsx';
import { TargetRowView } from '../components/TargetRowView.tsx';
import { CompareBar } from '../components/CompareBar.tsx';
import { usePage } from '../lib/focus.ts';
import { useInterval, usePolling } from '../lib/poll.ts';
import { nextSort, pageOf, rowStatus, viewRows, type Sort, type SortKey, type StatusFilter } from '../lib/targetTable.ts';
import type { Target, TargetRow } from '../types.ts';
import { hostPort } from '../../../src/domain/host-port.ts';

/** Rows per page. */
export const PAGE_SIZE = 50;
/** Poll period of the target list, ms. */
export const POLL_MS = 2000;
const SPARK_MS = 30_000;

/** The dashboard page. */
export function Dashboard() {
  const [rows, setRows] = createStore<TargetRow[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal('');
  const [q, setQ] = createSignal('');
  const [filter, setFilter] = createSignal<StatusFilter>('all');
  /** Location filter (issue 10): '' = every location. */
  const [location, setLocation] = createSignal('');
  const [locations, setLocations] = createSignal<string[]>([]);
  const [sort, setSort] = createSignal<Sort>({ key: 'name', dir: 'asc' });
  const [page, setPage] = createSignal(0);
  const [now, setNow] = createSignal(Date.now());
  const [sparks, setSparks] = createSignal<Record<string, (number | null)[]>>({});
  const [editing, setEditing] = createSignal<{ target: Target | null } | null>(null);
  const [deleting, setDeleting] = createSignal<TargetRow | null>(null);
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Targets',
    () => heading,
  );

  const refresh = usePolling(async () => {
    try {
      const res = await api.targets(location() || undefined);
      setRows(reconcile(res.targets, { key: 'id' }));
      if (!location()) setLocations([...new Set(res.targets.flatMap((t) => (t.locations.length ? t.locations : ['default'])))].sort());
      setNow(Date.now());
      setError('');
      setLoaded(true);
    } catch (e) {
      // no answer at all is the stale-data banner's to say (HealthBanner); other errors are said here
      if (!(e instanceof ApiError && e.status === 0)) setError(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }, POLL_MS);
  useInterval(() => setNow(Date.now()), 1000);

  const view = createMemo(() => viewRows(rows, q(), filter(), sort()));
  const paged = createMemo(() => pageOf(view(), page(), PAGE_SIZE));
  const counts = createMemo(() => {
    const c = { up: 0, down: 0, disabled: 0, nodata: 0 };
    for (const t of rows) c[rowStatus(t).kind]++;
    return c;
  });

  // Sparklines for the visible rows only: on page/sort/filter change, and every 30 s.
  const visibleIds = createMemo(() =>
    paged()
      .rows.map((t) => t.id)
      .join(','),
  );
  const loadSparks = async (ids: string) => {
    if (!ids) return;
    try {
      const res = await api.sparklines(ids.split(',').map(Number), 60);
      setSparks((s) => ({ ...s, ...res.series }));
    } catch {
      // sparklines are decoration; the table still works
    }
  };
  createEffect(on(visibleIds, (ids) => void loadSparks(ids)));
  useInterval(() => void loadSparks(visibleIds()), SPARK_MS);

  const onSort = (key: SortKey) => setSort((s) => nextSort(s, key));

  const toggle = async (t: TargetRow) => {
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
          <input
            type="search"
            placeholder="name, host or port"
            value={q()}
            onInput={(e) => {
              setQ(e.currentTarget.value);
              setPage(0);
            }}
          />
        </label>
        <label>
          Status
          <select
            value={filter()}
            onChange={(e) => {
              setFilter(e.currentTarget.value as StatusFilter);
              setPage(0);
            }}
          >
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
                setPage(0);
                void refresh();
              }}
            >
              <option value="">All</option>
              <For each={locations()}>{(l) => <option value={l}>{l}</option>}</For>
            </select>
          </label>
        </Show>
        <Show when={loaded()}>
          <span class="muted">
            {view().length} of {rows.length} targets
          </span>
        </Show>
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="table-wrap">
        <p id="targets-keys" class="sr-only">
          One Tab stop per target; left and right arrow keys reach its actions.
        </p>
        <table class="table targets" aria-label="Targets" aria-describedby="targets-keys">
          <thead>
            <tr>
              <th scope="col" class="c-select">
                <span class="sr-only">Compare</span>
              </th>
              <SortHeader key="name" sort={sort()} onSort={onSort}>
                Name
              </SortHeader>
              <SortHeader key="address" sort={sort()} onSort={onSort}>
                Host:port
              </SortHeader>
              <SortHeader key="status" sort={sort()} onSort={onSort}>
                Status
              </SortHeader>
              <SortHeader key="connect" sort={sort()} onSort={onSort} class="c-num">
                Connect
              </SortHeader>
              <SortHeader key="last" sort={sort()} onSort={onSort}>
                Last probe
              </SortHeader>
              <SortHeader key="ratio" sort={sort()} onSort={onSort} class="c-num">
                24 h
              </SortHeader>
              <th scope="col">Last hour</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={paged().rows}>
              {(t) => <TargetRowView target={t} now={now()} spark={sparks()[String(t.id)]} onEdit={(row) => setEditing({ target: row })} onToggle={toggle} onDelete={setDeleting} />}
            </For>
          </tbody>
        </table>
        <Show when={!loaded()}>
          <p class="empty" aria-hidden="true">
            Loading targets…
          </p>
        </Show>
        <Show when={loaded() && view().length === 0}>
          <Show when={rows.length === 0} fallback={<p class="empty">No target matches.</p>}>
            <Show when={isAdmin()} fallback={<p class="empty">No targets yet.</p>}>
              <div class="empty first-target" data-testid="first-target">
                <p>
                  <strong>No targets yet.</strong> A target is a host and TCP port NetWatch connects to at a fixed interval, recording whether the handshake succeeded and how long it took.
                </p>
                <p>
                  <button type="button" class="btn primary" onClick={() => setEditing({ target: null })}>
                    Add your first target
                  </button>{' '}
                  <span class="muted">More in NetWatch's README: “Run it”, “Configuration” and “Operations”.</span>
                </p>
              </div>
            </Show>
          </Show>
        </Show>
      </div>
      <Show when={paged().pages > 1}>
        <Pager page={paged().page} pages={paged().pages} onPage={setPage} label="Target pages" />
      </Show>

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
