/** Audit page (issue 14 §4, admins): every recorded change, newest first, filtered by time, actor and target; paged. */
import { A } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { automationApi, type AuditEntry, type AuditFilter } from '../api-automation.ts';
import { ApiError } from '../api.ts';
import { AuditTable } from '../components/AuditTable.tsx';
import { usePage } from '../lib/focus.ts';
import { AdminsOnly } from '../components/AdminsOnly.tsx';
import { parseLocal } from '../lib/time.ts';
import { isAdmin } from '../session.ts';

/** The audit page; viewers are told it is for admins (the API refuses them anyway). */
export function Audit() {
  return (
    <Show when={isAdmin()} fallback={<AdminsOnly title="Audit log">Only admins see the audit log. A target's own changes are on its history page.</AdminsOnly>}>
      <AuditAdmin />
    </Show>
  );
}

function AuditAdmin() {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Audit log',
    () => heading,
  );
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const [actor, setActor] = createSignal('');
  const [target, setTarget] = createSignal('');
  const [entries, setEntries] = createSignal<AuditEntry[]>([]);
  const [next, setNext] = createSignal<number | null>(null);
  const [error, setError] = createSignal('');

  const filter = (): AuditFilter | string => {
    const f: AuditFilter = { limit: 100 };
    if (from().trim()) {
      const v = parseLocal(from());
      if (v === null) return 'From must be a local time like 2026-12-01 14:30.';
      f.from = v;
    }
    if (to().trim()) {
      const v = parseLocal(to());
      if (v === null) return 'To must be a local time like 2026-12-01 14:30.';
      f.to = v;
    }
    if (actor().trim()) f.actor = actor().trim();
    if (target().trim()) {
      if (!/^\d+$/.test(target().trim())) return 'Target id must be a number.';
      f.targetId = Number(target().trim());
    }
    return f;
  };
  const load = async (before?: number) => {
    const f = filter();
    if (typeof f === 'string') return void setError(f);
    try {
      const page = await automationApi.audit({ ...f, before });
      setEntries((old) => (before === undefined ? page.entries : [...old, ...page.entries]));
      setNext(page.next);
      setError('');
    } catch (e) {
      setError(e instanceof ApiError && Object.keys(e.fields).length > 0 ? Object.values(e.fields).join(' ') : e instanceof Error ? e.message : String(e));
    }
  };
  void load();

  return (
    <section class="audit">
      <h1 ref={(el) => (heading = el)} tabindex="-1">
        Audit log
      </h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          From <input name="from" placeholder="YYYY-MM-DD HH:MM" value={from()} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To <input name="to" placeholder="YYYY-MM-DD HH:MM" value={to()} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <label>
          Actor <input name="actor" placeholder="username" value={actor()} onInput={(e) => setActor(e.currentTarget.value)} />
        </label>
        <label>
          Target id <input name="targetId" inputMode="numeric" value={target()} onInput={(e) => setTarget(e.currentTarget.value)} />
        </label>
        <button type="submit" class="btn">
          Filter
        </button>
      </form>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="table-wrap">
        <AuditTable
          entries={entries()}
          label="Audit log"
          what={(e) => (
            <>
              {e.action} {e.entity}
              <Show when={e.targetId !== null} fallback={<Show when={e.entityId !== null}> #{e.entityId}</Show>}>
                {' '}
                <A href={`/targets/${e.targetId}/history`}>#{e.targetId}</A>
              </Show>
            </>
          )}
        />
        <Show when={entries().length === 0 && !error()}>
          <p class="empty">No entries match.</p>
        </Show>
      </div>
      <Show when={next() !== null}>
        <button type="button" class="btn" onClick={() => void load(next()!)}>
          Older entries
        </button>
      </Show>
    </section>
  );
}
