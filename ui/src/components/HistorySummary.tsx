/** The summary line above the history charts: range, step, bucket count, uptime and outages (issue 11's outage record). */
import { createMemo, Show } from 'solid-js';
import { outageStats, summarize } from '../lib/outages.ts';
import { formatDuration, formatLocalWithOffset, formatRatio, formatStep } from '../lib/time.ts';
import type { History, Outage } from '../types.ts';

/** Props of {@link HistorySummary}: the history answer and the range's outages (undefined while loading). */
export interface HistorySummaryProps {
  history: History;
  outages: readonly Outage[] | undefined;
  /** Maintenance intervals in the range, `[start, end)` UTC epoch ms (left out of uptime). */
  maintenance: readonly (readonly [number, number])[];
}

/** Tooltip of the uptime figure: the formula. */
export const UPTIME_FORMULA =
  'Uptime = successful probes ÷ measured probes in the range. Probes that failed inside NetWatch (local_error), time without probes (target disabled or not yet created) and maintenance windows are left out; an outage counts from its first failed probe.';

/** The summary of one history answer. */
export function HistorySummary(props: HistorySummaryProps) {
  const s = createMemo(() => summarize(props.history.buckets, props.maintenance));
  const o = createMemo(() => (props.outages ? outageStats(props.outages) : null));
  const h = () => props.history;
  return (
    <p class="summary" data-testid="summary">
      <span data-testid="range">
        {formatLocalWithOffset(h().from)} → {formatLocalWithOffset(h().to)}
      </span>
      <span>
        step <b data-testid="step">{formatStep(h().step)}</b> · <span data-testid="buckets">{h().buckets.length}</span> {h().buckets.length === 1 ? 'bucket' : 'buckets'}
      </span>
      <Show when={s().uptime != null}>
        <span title={UPTIME_FORMULA}>
          uptime <b data-testid="uptime">{formatRatio(s().uptime)}</b>
        </span>
      </Show>
      <Show when={o()}>
        {(stats) => (
          <>
            <span>
              <b data-testid="outages">{stats().count}</b> {stats().count === 1 ? 'outage' : 'outages'}
            </span>
            <Show when={stats().longestStart != null}>
              <span>
                longest <b>{formatDuration(stats().longestMs)}</b> from {formatLocalWithOffset(stats().longestStart!)}
              </span>
            </Show>
          </>
        )}
      </Show>
    </p>
  );
}
