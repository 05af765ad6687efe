/** History range controls: presets, custom from/to (local time), group-by, Run. */
import { For } from 'solid-js';
import { GROUP_BY, RANGE_PRESETS } from '../lib/ranges.ts';
import { fromDatetimeLocal, toDatetimeLocal, utcOffset } from '../lib/time.ts';

/** Props of {@link RangeControls}. */
export interface RangeControlsProps {
  preset: string;
  from: number;
  to: number;
  groupBy: string;
  busy: boolean;
  onPreset: (label: string) => void;
  onFrom: (ms: number) => void;
  onTo: (ms: number) => void;
  onGroupBy: (label: string) => void;
  onRun: () => void;
}

/** The control bar of the history page. */
export function RangeControls(props: RangeControlsProps) {
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
        <select name="groupBy" value={props.groupBy} onChange={(e) => props.onGroupBy(e.currentTarget.value)}>
          <For each={GROUP_BY}>{(g) => <option value={g.label}>{g.label}</option>}</For>
        </select>
      </label>
      <button type="submit" class="btn primary" disabled={props.busy}>Run</button>
    </form>
  );
}
