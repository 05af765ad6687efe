/**
 * Raw probe log of a target for a time range, newest first, paged with `limit` + `before`
 * (a stack of cursors lets the user go back to newer pages).
 */
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { api } from '../api.ts';
import { outcomeKind } from '../lib/outcomeView.ts';
import { formatConnectMs, formatLocalMs, utcOffset } from '../lib/time.ts';
import type { ProbeResult } from '../types.ts';

/** Results per page. */
export const LOG_PAGE = 100;

/** Props of {@link ProbeLog}. */
export interface ProbeLogProps {
  targetId: number;
  from: number;
  to: number;
  /** Changes whenever the range is re-queried, to reload the first page. */
  version: number;
  /** Only what this location probed (issue 10); undefined = every location. */
  location?: string | undefined;
}

/** Table of raw probe results with Newer/Older paging. */
export function ProbeLog(props: ProbeLogProps) {
  const [results, setResults] = createSignal<ProbeResult[]>([]);
  const [cursors, setCursors] = createSignal<(number | undefined)[]>([undefined]);
  const [hasMore, setHasMore] = createSignal(false);
  const [error, setError] = createSignal('');
  const [loading, setLoading] = createSignal(false);

  const load = async (before: number | undefined) => {
    setLoading(true);
    try {
      // ask for one more than a page to know whether an older page exists
      const res = await api.results(props.targetId, { from: props.from, to: props.to, limit: LOG_PAGE + 1, before, location: props.location });
      setHasMore(res.results.length > LOG_PAGE);
      setResults(res.results.slice(0, LOG_PAGE));
      setError('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };

  createEffect(
    on(
      () => [props.targetId, props.from, props.to, props.version],
      () => {
        setCursors([undefined]);
        void load(undefined);
      },
    ),
  );

  const older = () => {
    const last = results()[results().length - 1];
    if (!last) return;
    setCursors((c) => [...c, last.startedAt]);
    void load(last.startedAt);
  };
  const newer = () => {
    const c = cursors().slice(0, -1);
    setCursors(c.length ? c : [undefined]);
    void load(c[c.length - 1]);
  };

  return (
    <section class="probe-log" aria-labelledby="log-title">
      <div class="toolbar">
        <h2 id="log-title">Probe log</h2>
        <span class="muted">newest first, local time ({utcOffset(props.to)})</span>
        <span class="spacer" />
        <button type="button" class="btn" disabled={cursors().length <= 1 || loading()} onClick={newer}>
          ‹ Newer
        </button>
        <span class="muted">page {cursors().length}</span>
        <button type="button" class="btn" disabled={!hasMore() || loading()} onClick={older}>
          Older ›
        </button>
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="table-wrap">
        <table class="table log" aria-label="Probe log">
          <thead>
            <tr>
              <th scope="col" title="The slot this attempt was scheduled for">
                Scheduled
              </th>
              <th scope="col" title="When connect(2) was issued (the SYN left)">
                Started
              </th>
              <th scope="col">Outcome</th>
              <th scope="col" class="c-num">
                Connect
              </th>
              <th scope="col">Address</th>
              <th scope="col">Source</th>
              <th scope="col" class="c-num">
                Local port
              </th>
              <th scope="col">Close</th>
              <th scope="col">Error</th>
              <th scope="col" title="Location and node that sent the probe">
                From
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={results()}>
              {(r) => (
                <tr data-outcome={r.outcome}>
                  <td class="mono">{r.scheduledAt == null ? '—' : formatLocalMs(r.scheduledAt)}</td>
                  <td class="mono" title={r.scheduledAt == null ? undefined : `send lag ${r.startedAt - r.scheduledAt} ms`}>
                    {formatLocalMs(r.startedAt)}
                  </td>
                  <td>
                    <span
                      class={`outcome outcome-${outcomeKind(r.outcome)}`}
                      title={outcomeKind(r.outcome) === 'local' ? 'NetWatch could not probe (its own host ran out of a resource): not counted against the target' : undefined}
                    >
                      {r.outcome}
                    </span>
                  </td>
                  <td class="c-num mono">{formatConnectMs(r.connectMs)}</td>
                  <td class="mono" title={dialledTitle(r)}>
                    {r.address ?? '—'}
                    {r.addresses ? ` (${r.addresses.length} tried)` : ''}
                  </td>
                  <td class="mono">{r.localAddress ?? '—'}</td>
                  <td class="c-num mono">{r.localPort ?? '—'}</td>
                  <td class="mono">{r.closeMode ?? ''}</td>
                  <td class="mono" data-col="error">
                    {r.errorCode ?? ''}
                  </td>
                  <td class="mono">{r.location ? `${r.location}/${r.node ?? '?'}` : '—'}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <Show when={!loading() && results().length === 0 && !error()}>
          <p class="empty">No probes in this range.</p>
        </Show>
      </div>
    </section>
  );
}

/** Every address an attempt dialled, one per line (outcome, connect time), for the address cell's title. */
function dialledTitle(r: ProbeResult): string | undefined {
  return r.addresses?.map((a) => `${a.address}: ${a.outcome}${a.connectMs == null ? '' : ` ${formatConnectMs(a.connectMs)}`}${a.errorCode ? ` ${a.errorCode}` : ''}`).join('\n');
}
