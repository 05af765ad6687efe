/**
 * History range controls: presets, custom from/to (local time, typed 24-hour as shown everywhere
 * else on the page, not the browser's locale picker that may show AM/PM), group-by with its message
 * (a refused group-by) or note (a group-by reset to auto), Run.
 */
import { createSignal, createUniqueId, For, Show } from 'solid-js';
import { GROUP_BY, RANGE_PRESETS } from '../lib/ranges.ts';
import { formatLocal, parseLocal, utcOffset } from '../lib/time.ts';

/** What a From/To field takes (24-hour, as the rest of the page shows times). */
const FORMAT = 'YYYY-MM-DD HH:MM:SS';

/** A From/To field: local time as text in the page's 24-hour format, with its own error. */
function TimeField(props: { label: string; name: string; value: number; onValue: (ms: number) => void }) {
  const [bad, setBad] = createSignal('');
  const errId = createUniqueId();
  return (
    <label>
      {props.label}
      <input
        type="text"
        name={props.name}
        size={19}
        spellcheck={false}
        autocomplete="off"
        placeholder={FORMAT}
        value={formatLocal(props.value)}
        aria-invalid={!!bad()}
        aria-describedby={bad() ? errId : undefined}
        onChange={(e) => {
          const v = parseLocal(e.currentTarget.value);
          setBad(v == null ? `Use ${FORMAT} (24-hour).` : '');
          if (v != null) props.onValue(v);
        }}
      />
      <Show when={bad()}>
        <span id={errId} class="field-error" role="alert">
          {bad()}
        </span>
      </Show>
    </label>
  );
}

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
    <form
      class="range-controls"
      onSubmit={(e) => {
        e.preventDefault();
        props.onRun();
      }}
    >
      <div class="presets" role="group" aria-label="Range presets">
        <For each={RANGE_PRESETS}>
          {(p) => (
            <button type="button" class="btn small" aria-pressed={props.preset === p.label} onClick={() => props.onPreset(p.label)}>
              {p.label}
            </button>
          )}
        </For>
      </div>
      <TimeField label="From" name="from" value={props.from} onValue={props.onFrom} />
      <TimeField label="To" name="to" value={props.to} onValue={props.onTo} />
      <span class="muted tz">{utcOffset(props.to)}</span>
      <label>
        Group by
        <select
          name="groupBy"
          value={props.groupBy}
          aria-invalid={!!props.groupByError}
          aria-describedby={props.groupByError || props.note ? msgId : undefined}
          onChange={(e) => props.onGroupBy(e.currentTarget.value)}
        >
          <For each={GROUP_BY}>
            {(g) => (
              <option value={g.label} selected={g.label === props.groupBy}>
                {g.label}
              </option>
            )}
          </For>
        </select>
      </label>
      <Show when={props.groupByError}>
        <span id={msgId} class="field-error" role="alert" data-testid="group-by-error">
          {props.groupByError}
        </span>
      </Show>
      <Show when={!props.groupByError && props.note}>
        <span id={msgId} class="note" role="status" data-testid="group-by-note">
          {props.note}
        </span>
      </Show>
      <button type="submit" class="btn primary" disabled={props.busy}>
        Run
      </button>
    </form>
  );
}
