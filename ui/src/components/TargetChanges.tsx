/** "History of changes" panel of a target's page (issue 14 §4): who changed what, when and from where. */
import { createSignal, Show } from 'solid-js';
import { automationApi, type AuditEntry } from '../api-automation.ts';
import { AuditTable } from './AuditTable.tsx';

/** Lists a target's audit entries newest first, 20 at a time. */
export function TargetChanges(props: { targetId: number }) {
  const [entries, setEntries] = createSignal<AuditEntry[]>([]);
  const [next, setNext] = createSignal<number | null>(null);
  const [error, setError] = createSignal('');
  const load = async (before?: number) => {
    try {
      const page = await automationApi.targetChanges(props.targetId, before);
      setEntries((old) => (before === undefined ? page.entries : [...old, ...page.entries]));
      setNext(page.next);
      setError('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  void load();
  return (
    <section class="card target-changes" aria-labelledby="changes-h">
      <h2 id="changes-h">History of changes</h2>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={entries().length > 0} fallback={<p class="muted">No recorded changes.</p>}>
        <div class="table-wrap">
          <AuditTable entries={entries()} label="History of changes" what={(e) => e.action} />
        </div>
      </Show>
      <Show when={next() !== null}>
        <button type="button" class="btn" onClick={() => void load(next()!)}>
          Older changes
        </button>
      </Show>
    </section>
  );
}
