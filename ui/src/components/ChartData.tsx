/**
 * "Show data" (issue 16 §4): the history charts' buckets as a table, for keyboard and screen-reader
 * users and anyone who wants the numbers: bucket start (local time with UTC offset), attempts,
 * successes, ratio (over measured attempts), connect time min/avg/max, failures by outcome.
 */
import { createSignal, createUniqueId, For, Show } from 'solid-js';
import { failuresText } from '../lib/chartSummary.ts';
import { formatConnectMs, formatLocalWithOffset, formatRatio } from '../lib/time.ts';
import type { Bucket } from '../types.ts';

/** The toggle and, when on, the table of `buckets` (buckets without attempts are left out). */
export function ChartData(props: { buckets: readonly Bucket[] }) {
  const [shown, setShown] = createSignal(false);
  const id = createUniqueId();
  const rows = () => props.buckets.filter((b) => b.attempts > 0);
  return (
    <div class="chart-data">
      <button type="button" class="btn small" aria-expanded={shown()} aria-controls={id} onClick={() => setShown((s) => !s)}>
        {shown() ? 'Hide data' : 'Show data'}
      </button>
      <Show when={shown()}>
        <div class="table-wrap chart-data-table" id={id}>
          <table class="table" data-testid="chart-data">
            <caption class="sr-only">Buckets of the charts above ({rows().length} with probes)</caption>
            <thead>
              <tr>
                <th scope="col">Bucket start</th>
                <th scope="col" class="c-num">
                  Attempts
                </th>
                <th scope="col" class="c-num">
                  Successes
                </th>
                <th scope="col" class="c-num">
                  Ratio
                </th>
                <th scope="col" class="c-num">
                  Connect min
                </th>
                <th scope="col" class="c-num">
                  avg
                </th>
                <th scope="col" class="c-num">
                  max
                </th>
                <th scope="col">Failures</th>
              </tr>
            </thead>
            <tbody>
              <For each={rows()}>
                {(b) => (
                  <tr>
                    <th scope="row" class="mono">
                      {formatLocalWithOffset(b.t)}
                    </th>
                    <td class="c-num mono">{b.attempts}</td>
                    <td class="c-num mono">{b.successes}</td>
                    <td class="c-num mono">{formatRatio(b.ratio)}</td>
                    <td class="c-num mono">{formatConnectMs(b.connectMs.min)}</td>
                    <td class="c-num mono">{formatConnectMs(b.connectMs.avg)}</td>
                    <td class="c-num mono">{formatConnectMs(b.connectMs.max)}</td>
                    <td>{failuresText(b)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </div>
  );
}
