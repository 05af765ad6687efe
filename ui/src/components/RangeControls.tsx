/**
 * History range controls: presets, custom from/to (local time), group-by with its message
 * (a refused group-by) or note (a group-by reset to auto), Run.
 */
import { createUniqueId, For, Show } from 'solid-js';
import { GROUP_BY, RANGE_PRESETS } from '../lib/ranges.ts';
import { fromDatetimeLocal, toDatetimeLocal, utcOffset } from '../lib/time.ts';

/** Props of {@link RangeControls}. */
export interface RangeControlsProps {
  preset: string;
  from: number;
  to: number;
  groupBy: string;
  /** Why the chosen group-by was not queried (shown beside it); empty when none. */
  groupByError: string;
  /** A short note about the group-by (e.g. it was reset to auto); empty when none. */
  note: string;
  busy: boolean;
  onPreset: (label: string) => void;
  onFrom: (ms: number) => void;
  onTo: (ms: number) => void;
  onGroupBy: (label: string) => void;
  onRun: () => void;
}

/** The control bar of the history page. */
export function RangeControls(props: RangeControlsProps) {
  const msgId = createUniqueId();
  return (
    <form class="range-controls" onSubmit={(e) => { e.preventDefault(); props.onRun(); }}>
      <div class="presets" role="group" aria-label="Range presets">
        <For each={RANGE_PRESETS}>
          {(p) => (
            <button type="button" class="btn small" aria-pressed={props.preset === p.label} onClick={() => props.onPreset(p.label)}>
              {p.label}
            </button>
          )}
        </For>
      </div>
      <label>
        From
        <input type="datetime-local" step="1" name="from" value={toDatetimeLocal(props.from)}
          onChange={(e) => { const v = fromDatetimeLocal(e.currentTarget.value); if (v != null) props.onFrom(v); }} />
      </label>
      <label>
        To
        <input type="datetime-local" step="1" name="to" value={toDatetimeLocal(props.to)}
          onChange={(e) => { const v = fromDatetimeLocal(e.currentTarget.value); if (v != null) props.onTo(v); }} />
      </label>
      <span class="muted tz">{utcOffset(props.to)}</span>
      <label>
        Group by
        <select name="groupBy" value={props.groupBy} aria-invalid={!!props.groupByError}
          aria-describedby={props.groupByError || props.note ? msgId : undefined} onChange={(e) => props.onGroupBy(e.currentTarget.value)}>
          <For each={GROUP_BY}>{(g) => <option value={g.label} selected={g.label === props.groupBy}>{g.label}</option>}</For>
        </select>
      </label>
      <Show when={props.groupByError}>
        <span id={msgId} class="field-error" role="alert" data-testid="group-by-error">{props.groupByError}</span>
      </Show>
      <Show when={!props.groupByError && props.note}>
        <span id={msgId} class="note" role="status" data-testid="group-by-note">{props.note}</span>
      </Show>
      <button type="submit" class="btn primary" disabled={props.busy}>Run</button>
    </form>
  );
}
