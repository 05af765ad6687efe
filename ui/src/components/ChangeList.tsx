/** One audit entry's fields changed, `field: before → after` (secrets already masked by the server). */
import { For, Show } from 'solid-js';
import type { FieldChange } from '../api-automation.ts';

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Renders `changes` as a compact list; an import's counts (no before/after) as `name: value`. */
export function ChangeList(props: { changes: Record<string, FieldChange | unknown> | null }) {
  const rows = () => Object.entries(props.changes ?? {});
  const isChange = (v: unknown): v is FieldChange => typeof v === 'object' && v !== null && 'before' in v && 'after' in v;
  return (
    <Show when={rows().length > 0} fallback={<span class="muted">—</span>}>
      <ul class="changes">
        <For each={rows()}>
          {([field, v]) => (
            <li>
              <span class="muted">{field}:</span>{' '}
              {isChange(v) ? (
                <>
                  <del>{show(v.before)}</del> → <ins>{show(v.after)}</ins>
                </>
              ) : (
                show(v)
              )}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
