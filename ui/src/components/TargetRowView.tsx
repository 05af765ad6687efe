/**
 * One row of the dashboard's target table. Keyboard (issue 16 §4): the row is one tab stop (its
 * target's name, a link to its history); ← and → move between the name and the row's actions
 * (the ARIA roving-tabindex pattern), and Tab leaves the row from where it is. The "History"
 * button repeats the name's link for pointer users and is left out of the tab order.
 */
import { A } from '@solidjs/router';
import { createMemo, For, Show } from 'solid-js';
import { compareSelection, MAX_COMPARE, toggleCompare } from '../lib/compareSelection.ts';
import { rowStatus } from '../lib/targetTable.ts';
import { stateText } from '../lib/targetState.ts';
import { isAdmin } from '../session.ts';
import { formatConnectMs, formatLocalWithOffset, formatRatio, formatRelative } from '../lib/time.ts';
import type { LiveRow } from '../lib/liveRows.ts';
import { Sparkline } from './Sparkline.tsx';
import { StatusPill } from './StatusPill.tsx';
import { hostPort } from '../../../src/domain/host-port.ts';

/** Props of {@link TargetRowView}. */
export interface TargetRowViewProps {
  /** A plain row, changed in place by the live deltas; `rev` changes when it may have changed. */
  target: LiveRow;
  rev: number;
  now: number;
  spark: (number | null)[] | undefined;
  onEdit: (t: LiveRow) => void;
  onToggle: (t: LiveRow) => void;
  onDelete: (t: LiveRow) => void;
}

/** Moves the row's single tab stop to `el` (one of its `[data-roving]` controls). */
function takeTabStop(row: HTMLElement, el: HTMLElement): void {
  for (const c of row.querySelectorAll<HTMLElement>('[data-roving]')) c.tabIndex = c === el ? 0 : -1;
}

/** ←/→ (and Home/End) between the row's controls. */
function onRowKey(e: KeyboardEvent): void {
  const row = e.currentTarget as HTMLElement;
  const items = [...row.querySelectorAll<HTMLElement>('[data-roving]')];
  const at = items.indexOf(e.target as HTMLElement);
  if (at < 0) return;
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: items.length - 1 }[e.key];
  if (to === undefined || !items[to]) return;
  e.preventDefault();
  takeTabStop(row, items[to]!);
  items[to]!.focus();
}

/** A target row with a compare checkbox (issue 13 §3), status, last probe, 24 h ratio, sparkline and actions. */
export function TargetRowView(props: TargetRowViewProps) {
  const t = () => {
    void props.rev;
    return props.target;
  };
  const status = createMemo(() => rowStatus(t()));
  const last = () => t().lastResult;
  return (
    <tr
      data-target-id={t().id}
      data-status={status().kind}
      onKeyDown={onRowKey}
      onFocusIn={(e) => (e.target as HTMLElement).dataset.roving !== undefined && takeTabStop(e.currentTarget, e.target as HTMLElement)}
    >
      <td class="c-select">
        <input
          type="checkbox"
          data-roving
          tabindex="-1"
          checked={compareSelection().includes(t().id)}
          aria-label={`Compare ${t().name}`}
          disabled={!compareSelection().includes(t().id) && compareSelection().length >= MAX_COMPARE}
          onChange={() => toggleCompare(t().id)}
        />
      </td>
      <td class="c-name">
        <A href={`/targets/${t().id}/history`} class="name" data-roving tabindex="0">
          {t().name}
        </A>
      </td>
      <td class="c-addr mono">{hostPort(t().host, t().port)}</td>
      <td class="c-status">
        <StatusPill kind={status().kind} label={status().label} />{' '}
        <span class="state" data-state={t().state} title={t().stateSince ? `Since ${formatLocalWithOffset(t().stateSince!)}` : undefined}>
          {stateText(t().state, t().stateSince, props.now)}
        </span>
        <Show when={t().flapping}>
          {' '}
          <span class="pill pill-down" data-testid="flapping" title="Changed state more than 5 times in 10 min; notifications are paused until it is stable for 10 min">
            flapping
          </span>
        </Show>
        {/* several locations (issue 10): each location's own status */}
        <For each={(t().byLocation ?? []).length > 1 ? t().byLocation : []}>
          {(l) => {
            const s = rowStatus({ ...t(), lastResult: l.lastResult }, false);
            return (
              <span class="by-location" data-location={l.location}>
                {' '}
                <StatusPill kind={s.kind} label={`${l.location}: ${s.label}`} />
              </span>
            );
          }}
        </For>
      </td>
      <td class="c-num mono" data-label="Connect">
        {last()?.outcome === 'success' ? formatConnectMs(last()?.connectMs) : '—'}
      </td>
      <td class="c-last" data-label="Last probe" title={last() ? formatLocalWithOffset(last()!.startedAt) : undefined}>
        {last() ? formatRelative(last()!.startedAt, props.now) : '—'}
      </td>
      <td class="c-num mono" data-label="24 h">
        {formatRatio(t().ratio24h)}
      </td>
      <td class="c-spark">
        <Sparkline values={props.spark} label={`Success ratio of ${t().name} over the last hour`} />
      </td>
      <td class="c-actions">
        <A class="btn small" href={`/targets/${t().id}/history`} aria-label={`History of ${t().name}`} tabindex="-1">
          History
        </A>
        <Show when={isAdmin()}>
          <button type="button" class="btn small" data-roving tabindex="-1" onClick={() => props.onEdit(t())} aria-label={`Edit ${t().name}`}>
            Edit
          </button>
          <button type="button" class="btn small" data-roving tabindex="-1" onClick={() => props.onToggle(t())} aria-label={`${t().enabled ? 'Disable' : 'Enable'} ${t().name}`}>
            {t().enabled ? 'Disable' : 'Enable'}
          </button>
          <button type="button" class="btn small danger" data-roving tabindex="-1" onClick={() => props.onDelete(t())} aria-label={`Delete ${t().name}`}>
            Delete
          </button>
        </Show>
      </td>
    </tr>
  );
}
