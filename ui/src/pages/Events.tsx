/**
 * Events page (/events, issue 11): the latest state changes across all targets (GET /api/events),
 * newest first, filterable by target, range and kind of change; times in local time.
 */
import { A } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { api } from '../api.ts';
import { formatLocalWithOffset } from '../lib/time.ts';
import { usePage } from '../lib/focus.ts';
import { loaded } from '../lib/resource.ts';
import type { StateEvent } from '../types.ts';
import { hostPort } from '../../../src/domain/host-port.ts';

const RANGES = [
  { key: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { key: '1y', label: 'Last year', ms: 365 * 86_400_000 },
] as const;

const cause = (e: StateEvent) => (e.errorCode ? `${e.outcome} (${e.errorCode})` : e.outcome);

/** The events page. */
export function Events() {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Events',
    () => heading,
  );
  const [targetId, setTargetId] = createSignal<number | undefined>(undefined);
  const [range, setRange] = createSignal<(typeof RANGES)[number]['key']>('7d');
  const [to, setTo] = createSignal<'' | 'down' | 'up'>('');
  const [targets] = createResource(() => api.targets().then((r) => r.targets));
  const byId = createMemo(() => new Map((loaded(targets) ?? []).map((t) => [t.id, t])));
  const [events, { refetch }] = createResource(
    () => ({ targetId: targetId(), range: range() }),
    (q) => {
      const to = Date.now();
      const ms = RANGES.find((r) => r.key === q.range)!.ms;
      return api.events({ targetId: q.targetId, from: to - ms, to, limit: 1000 }).then((r) => r.events);
    },
  );
  return (
    <section class="events">
      <div class="toolbar">
        <h1 ref={heading} tabindex="-1">
          Events
        </h1>
        <label>
          Target{' '}
          <select name="targetId" value={targetId() ?? ''} onChange={(e) => setTargetId(e.currentTarget.value ? Number(e.currentTarget.value) : undefined)}>
            <option value="">All targets</option>
            <For each={loaded(targets) ?? []}>
              {(t) => (
                <option value={t.id}>
                  {t.name} ({hostPort(t.host, t.port)})
                </option>
              )}
            </For>
          </select>
        </label>
        <label>
          Range{' '}
          <select name="range" value={range()} onChange={(e) => setRange(e.currentTarget.value as (typeof RANGES)[number]['key'])}>
            <For each={RANGES}>{(r) => <option value={r.key}>{r.label}</option>}</For>
          </select>
        </label>
        <label>
          Change{' '}
          <select name="to" value={to()} onChange={(e) => setTo(e.currentTarget.value as '' | 'down' | 'up')}>
            <option value="">All changes</option>
            <option value="down">Went down</option>
            <option value="up">Came up</option>
          </select>
        </label>
        <button type="button" class="btn" onClick={() => void refetch()}>
          Refresh
        </button>
      </div>
      <Show when={events.error}>
        <p class="error" role="alert">
          {(events.error as Error).message}
        </p>
      </Show>
      <Show when={loaded(events)}>
        {(all) => {
          const list = () => all().filter((e) => !to() || e.to === to());
          return (
            <Show
              when={list().length > 0}
              fallback={
                <p class="muted" data-testid="no-events">
                  No state changes in this range.
                </p>
              }
            >
              <table class="table" data-testid="event-list">
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Target</th>
                    <th>Change</th>
                    <th>Cause</th>
                    <th>First failed probe</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(e) => (
                      <tr data-to={e.to}>
                        <td>{formatLocalWithOffset(e.at)}</td>
                        <td>
                          <A href={`/targets/${e.targetId}/history`}>{byId().get(e.targetId)?.name ?? `#${e.targetId}`}</A>
                        </td>
                        <td>
                          <span class={`pill pill-${e.from === 'unknown' ? 'nodata' : e.from}`}>{e.from}</span> → <span class={`pill pill-${e.to === 'unknown' ? 'nodata' : e.to}`}>{e.to}</span>
                        </td>
                        <td class="mono">
                          {cause(e)}
                          {e.inMaintenance ? (
                            <>
                              {' '}
                              <span class="pill pill-disabled" title="Seen inside a maintenance window: not notified">
                                maintenance
                              </span>
                            </>
                          ) : null}
                        </td>
                        <td>{e.firstFailedAt === null ? '—' : formatLocalWithOffset(e.firstFailedAt)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </Show>
          );
        }}
      </Show>
    </section>
  );
}
