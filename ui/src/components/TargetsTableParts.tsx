/**
 * Parts of the dashboard's targets table: the sortable header row and the empty state (no target
 * matches the search, or no target exists yet: then admins get a short introduction and an add button).
 */
import { Show } from 'solid-js';
import { isAdmin } from '../session.ts';
import { SortHeader } from './SortHeader.tsx';
import type { Sort, SortKey } from '../lib/targetTable.ts';

/** The header row: one sortable column per field, plus compare, sparkline and actions columns. */
export function TargetsHead(props: { sort: Sort; onSort: (key: SortKey) => void }) {
  const onSort = (key: SortKey) => props.onSort(key);
  return (
    <thead>
      <tr>
        <th scope="col" class="c-select">
          <span class="sr-only">Compare</span>
        </th>
        <SortHeader key="name" sort={props.sort} onSort={onSort}>
          Name
        </SortHeader>
        <SortHeader key="address" sort={props.sort} onSort={onSort}>
          Host:port
        </SortHeader>
        <SortHeader key="status" sort={props.sort} onSort={onSort}>
          Status
        </SortHeader>
        <SortHeader key="connect" sort={props.sort} onSort={onSort} class="c-num">
          Connect
        </SortHeader>
        <SortHeader key="last" sort={props.sort} onSort={onSort}>
          Last probe
        </SortHeader>
        <SortHeader key="ratio" sort={props.sort} onSort={onSort} class="c-num">
          24 h
        </SortHeader>
        <th scope="col">Last hour</th>
        <th scope="col">
          <span class="sr-only">Actions</span>
        </th>
      </tr>
    </thead>
  );
}

/** What the table shows when no row is in view. @param none no target exists at all */
export function TargetsEmpty(props: { none: boolean; onAdd: () => void }) {
  return (
    <Show when={props.none} fallback={<p class="empty">No target matches.</p>}>
      <Show when={isAdmin()} fallback={<p class="empty">No targets yet.</p>}>
        <div class="empty first-target" data-testid="first-target">
          <p>
            <strong>No targets yet.</strong> A target is a host and TCP port NetWatch connects to at a fixed interval, recording whether the handshake succeeded and how long it took.
          </p>
          <p>
            <button type="button" class="btn primary" onClick={() => props.onAdd()}>
              Add your first target
            </button>{' '}
            <span class="muted">More in NetWatch's README: “Run it”, “Configuration” and “Operations”.</span>
          </p>
        </div>
      </Show>
    </Show>
  );
}
