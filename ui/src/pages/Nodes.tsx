/**
 * Nodes page (issue 10): every NetWatch process sharing the database, with its location, up/down
 * (down 10 s after the last heartbeat, on the database's clock), last heartbeat, targets assigned,
 * schedule lag p99, writer buffered/dropped and version. Refreshed every 2 s (the heartbeat).
 * Admins may remove a down node's row. On SQLite it says this is the only node.
 */
import { createSignal, For, onCleanup, Show } from 'solid-js';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { StatusPill } from '../components/StatusPill.tsx';
import { usePage } from '../lib/focus.ts';
import { formatLocalWithOffset, formatRelative } from '../lib/time.ts';
import { isAdmin } from '../session.ts';
import type { NodesReport } from '../types.ts';

type NodeView = NodesReport['nodes'][number];

/** The nodes page. */
export function Nodes() {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Nodes',
    () => heading,
  );
  const [report, setReport] = createSignal<NodesReport | null>(null);
  const [error, setError] = createSignal('');
  const [removing, setRemoving] = createSignal<NodeView | null>(null);
  const load = async () => {
    try {
      setReport(await api.nodes());
      setError('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  void load();
  const timer = setInterval(() => void load(), 2000);
  onCleanup(() => clearInterval(timer));
  const num = (v: number | null, unit = '') => (v === null ? '–' : `${v.toLocaleString()}${unit}`);

  return (
    <section class="nodes">
      <div class="toolbar">
        <h1 ref={(el) => (heading = el)} tabindex="-1">
          Nodes
        </h1>
      </div>
      <Show when={report()?.single}>
        <p class="muted" data-testid="single-node">
          SQLite store: NetWatch runs as a single node here. Several nodes (locations, high availability) need MySQL or MariaDB.
        </p>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="table-wrap">
        <table class="table" aria-label="Nodes">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Location</th>
              <th scope="col">Status</th>
              <th scope="col">Last heartbeat</th>
              <th scope="col">Targets assigned</th>
              <th scope="col">Lag p99</th>
              <th scope="col">Writer buffered / dropped</th>
              <th scope="col">Version</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={report()?.nodes ?? []}>
              {(n) => (
                <tr data-node={n.name} data-up={String(n.up)}>
                  <td>
                    {n.name}
                    <Show when={report()?.self?.name === n.name}>
                      {' '}
                      <span class="muted">(this one)</span>
                    </Show>
                  </td>
                  <td data-label="Location">{n.location}</td>
                  <td data-label="Status">
                    <StatusPill kind={n.up ? 'up' : 'down'} label={n.up ? 'up' : n.stoppedAt !== null ? 'down (stopped)' : 'down'} />
                  </td>
                  <td class="mono" title={formatLocalWithOffset(n.heartbeatAt)}>
                    {formatRelative(n.heartbeatAt, report()!.now)}
                  </td>
                  <td data-label="Targets assigned">{n.up ? n.targetsAssigned.toLocaleString() : '–'}</td>
                  <td data-label="Lag p99">{n.up ? num(n.lagP99Ms, ' ms') : '–'}</td>
                  <td data-label="Writer">
                    {num(n.writerBuffered)} / {num(n.writerDropped)}
                  </td>
                  <td class="mono">{n.version}</td>
                  <td class="c-actions">
                    <Show when={isAdmin() && !n.up}>
                      <button type="button" class="btn small danger" aria-label={`Remove ${n.name}`} onClick={() => setRemoving(n)}>
                        Remove
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={removing() !== null}
        title="Remove node"
        message={
          <>
            Remove the row of node <strong class="quoted">{removing()?.name}</strong>? Its stored results stay. If it starts again it registers anew.
          </>
        }
        onCancel={() => setRemoving(null)}
        onConfirm={async () => {
          const n = removing();
          if (!n) return;
          await api.deleteNode(n.name);
          setRemoving(null);
          void load();
        }}
      />
    </section>
  );
}
