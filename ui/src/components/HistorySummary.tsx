/** The summary line above the history charts: range, step, bucket count, uptime and outages. */
import { createMemo, Show } from 'solid-js';
import { summarize } from '../lib/outages.ts';
import { formatDuration, formatLocalWithOffset, formatRatio, formatStep } from '../lib/time.ts';
import type { History } from '../types.ts';

/** Props of {@link HistorySummary}. */
export interface HistorySummaryProps {
  history: History;
}

/** The summary of one history answer. */
export function HistorySummary(props: HistorySummaryProps) {
  const s = createMemo(() => summarize(props.history.buckets, props.history.step));
  const h = () => props.history;
  return (
    <p class="summary" data-testid="summary">
      <span data-testid="range">{formatLocalWithOffset(h().from)} → {formatLocalWithOffset(h().to)}</span>
      <span>step <b data-testid="step">{formatStep(h().step)}</b> · <span data-testid="buckets">{h().buckets.length}</span> {h().buckets.length === 1 ? 'bucket' : 'buckets'}</span>
      <Show when={s().uptime != null}>
        <span>uptime <b data-testid="uptime">{formatRatio(s().uptime)}</b></span>
        <span><b data-testid="outages">{s().outages}</b> {s().outages === 1 ? 'outage' : 'outages'}</span>
        <Show when={s().longestOutageStart != null}>
          <span>longest <b>{formatDuration(s().longestOutageMs)}</b> from {formatLocalWithOffset(s().longestOutageStart!)}</span>
        </Show>
      </Show>
    </p>
  );
}
