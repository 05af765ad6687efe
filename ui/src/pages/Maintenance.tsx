/**
 * Maintenance page (/maintenance; issue 11): the windows that silence notifications for one target
 * or all, once or weekly. Anyone sees them; admins add and delete. Times in local time.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import { maintenanceInput } from '../../../src/domain/maintenance.ts';
import { issuesToFields } from '../../../src/domain/target-rules.ts';
import { ApiError, api } from '../api.ts';
import { formatLocalWithOffset, fromDatetimeLocal } from '../lib/time.ts';
import { loaded } from '../lib/resource.ts';
import { isAdmin } from '../session.ts';
import { usePage } from '../lib/focus.ts';

/** The maintenance page. */
export function Maintenance() {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Maintenance windows',
    () => heading,
  );
  const [windows, { refetch }] = createResource(() => api.maintenance().then((r) => r.windows));
  const [targets] = createResource(() => api.targets().then((r) => r.targets));
  const [name, setName] = createSignal('');
  const [targetId, setTargetId] = createSignal('');
  const [start, setStart] = createSignal('');
  const [end, setEnd] = createSignal('');
  const [weekly, setWeekly] = createSignal(false);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const targetName = (id: number | null) => (id === null ? 'All targets' : (loaded(targets)?.find((t) => t.id === id)?.name ?? `#${id}`));

  const add = async (ev: SubmitEvent) => {
    ev.preventDefault();
    const body = { name: name(), targetId: targetId() ? Number(targetId()) : null, startsAt: fromDatetimeLocal(start()) ?? NaN, endsAt: fromDatetimeLocal(end()) ?? NaN, weekly: weekly() };
    const r = maintenanceInput.safeParse(body);
    if (!r.success) return setErrors(issuesToFields(r.error.issues));
    try {
      await api.createMaintenance(r.data);
      setErrors({});
      setName('');
      void refetch();
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: String(e) });
    }
  };

  return (
    <section class="maintenance">
      <h1 ref={heading} tabindex="-1">
        Maintenance windows
      </h1>
      <p class="muted">
        Changes inside a window are recorded and marked, but not notified; outages that begin inside one are shown as maintenance and left out of uptime. A weekly window repeats every 7 days from its
        first start.
      </p>
      <Show when={windows.error}>
        <p class="error" role="alert">
          {(windows.error as Error).message}
        </p>
      </Show>
      <table class="table" data-testid="maintenance-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Targets</th>
            <th>Start</th>
            <th>End</th>
            <th>Repeats</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={loaded(windows) ?? []}>
            {(w) => (
              <tr>
                <td>{w.name}</td>
                <td>{targetName(w.targetId)}</td>
                <td>{formatLocalWithOffset(w.startsAt)}</td>
                <td>{formatLocalWithOffset(w.endsAt)}</td>
                <td>{w.weekly ? 'weekly' : 'once'}</td>
                <td>
                  <Show when={isAdmin()}>
                    <button
                      type="button"
                      class="btn small danger"
                      onClick={async () => {
                        await api.deleteMaintenance(w.id);
                        void refetch();
                      }}
                    >
                      Delete
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={isAdmin()}>
        <form class="editor" onSubmit={add} novalidate>
          <h2>Add a window</h2>
          <div class="grid2">
            <label class="field">
              Name <input name="name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
              <span class="field-error">{errors().name}</span>
            </label>
            <label class="field">
              Targets
              <select name="targetId" value={targetId()} onChange={(e) => setTargetId(e.currentTarget.value)}>
                <option value="">All targets</option>
                <For each={loaded(targets) ?? []}>{(t) => <option value={t.id}>{t.name}</option>}</For>
              </select>
              <span class="field-error">{errors().targetId}</span>
            </label>
            <label class="field">
              Start (local time) <input name="startsAt" type="datetime-local" value={start()} onInput={(e) => setStart(e.currentTarget.value)} />
              <span class="field-error">{errors().startsAt}</span>
            </label>
            <label class="field">
              End (local time) <input name="endsAt" type="datetime-local" value={end()} onInput={(e) => setEnd(e.currentTarget.value)} />
              <span class="field-error">{errors().endsAt}</span>
            </label>
          </div>
          <label class="check">
            <input type="checkbox" name="weekly" checked={weekly()} onChange={(e) => setWeekly(e.currentTarget.checked)} /> Repeat weekly
          </label>
          <Show when={errors()._}>
            <p class="error" role="alert">
              {errors()._}
            </p>
          </Show>
          <div class="actions">
            <button type="submit" class="btn primary">
              Add window
            </button>
          </div>
        </form>
      </Show>
    </section>
  );
}
