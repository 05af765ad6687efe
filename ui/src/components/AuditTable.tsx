/**
 * The table of audit entries (issue 14 §4) that the audit page and a target's "History of changes"
 * both show: when (local time with offset), who (and through which token), from which client
 * address, what, and the changed fields.
 */
import { For, Show, type JSX } from 'solid-js';
import type { AuditEntry } from '../api-automation.ts';
import { formatLocalWithOffset } from '../lib/time.ts';
import { ChangeList } from './ChangeList.tsx';

/** Props of {@link AuditTable}. */
export interface AuditTableProps {
  entries: AuditEntry[];
  /** The table's accessible name. */
  label: string;
  /** The "What" cell of one entry. */
  what: (e: AuditEntry) => JSX.Element;
}

/** One row per entry, in the order given. */
export function AuditTable(props: AuditTableProps) {
  return (
    <table class="table" aria-label={props.label}>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">From</th>
          <th scope="col">What</th>
          <th scope="col">Fields</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.entries}>
          {(e) => (
            <tr data-audit-id={e.id}>
              <td class="mono">{formatLocalWithOffset(e.at)}</td>
              <td>
                {e.actor}
                <Show when={e.tokenName}>
                  {' '}
                  <span class="muted">(token {e.tokenName})</span>
                </Show>
              </td>
              <td class="mono">{e.client}</td>
              <td>{props.what(e)}</td>
              <td class="wrap">
                <ChangeList changes={e.changes} />
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
