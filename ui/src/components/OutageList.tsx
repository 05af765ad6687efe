/**
 * Outages of one target in the shown range (GET /api/outages, issue 11): start and end in local
 * time, duration and cause (loaded by the history page, which also counts them in the summary). Clicking one zooms the charts to it (see lib/targetState.ts outageZoom).
 */
import { For, Show } from 'solid-js';
import { outageZoom } from '../lib/targetState.ts';
import { formatDuration, formatLocalWithOffset } from '../lib/time.ts';
import type { Outage } from '../types.ts';

/** Props of {@link OutageList}: the range's outages (undefined while loading), a load error, and what a click does. */
export interface OutageListProps {
  outages: readonly Outage[] | undefined;
  error: string;
  onZoom: (from: number, to: number) => void;
}

const cause = (o: Outage) => (o.cause.errorCode ? `${o.cause.outcome} (${o.cause.errorCode})` : o.cause.outcome);

/** The outage table of the history page. */
export function OutageList(props: OutageListProps) {
  const list = () => props.outages;
  return (
    <section class="outages" aria-labelledby="outages-h">
      <h2 id="outages-h">Outages</h2>
      <Show when={props.error}>
        <p class="error" role="alert">
          {props.error}
        </p>
      </Show>
      <Show when={list()}>
        {(rows) => (
          <Show
            when={rows().length > 0}
            fallback={
              <p class="muted" data-testid="no-outages">
                No outages in this range.
              </p>
            }
          >
            <table class="table" data-testid="outage-list">
              <thead>
                <tr>
                  <th>Start</th>
                  <th>End</th>
                  <th>Duration</th>
                  <th>Cause</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(o) => (
                    <tr class="clickable" data-start={o.start} data-maintenance={o.maintenance ? 'true' : undefined}>
                      <td>
                        <button
                          type="button"
                          class="link"
                          title="Zoom the charts to this outage"
                          onClick={() => {
                            const z = outageZoom(o, Date.now());
                            props.onZoom(z.from, z.to);
                          }}
                        >
                          {formatLocalWithOffset(o.start)}
                        </button>
                      </td>
                      <td>{o.end === null ? <strong>ongoing</strong> : formatLocalWithOffset(o.end)}</td>
                      <td class="mono">{formatDuration(o.durationMs)}</td>
                      <td class="mono">
                        {cause(o)}
                        {o.maintenance ? (
                          <>
                            {' '}
                            <span class="pill pill-disabled" title="Began inside a maintenance window: not counted as downtime">
                              maintenance
                            </span>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
    </section>
  );
}
