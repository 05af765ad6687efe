/**
 * Configuration page (issue 14 §3): export the targets as YAML or JSON, and import a file: a dry
 * run first shows what would be created, updated, deleted and left unchanged; nothing changes
 * until "Apply" (admins only; the API refuses viewers).
 */
import { createSignal, For, Show } from 'solid-js';
import { automationApi, type ImportReport } from '../api-automation.ts';
import { ApiError } from '../api.ts';
import { ChangeList } from '../components/ChangeList.tsx';
import { BASE } from '../lib/base.ts';
import { usePage } from '../lib/focus.ts';
import { isAdmin } from '../session.ts';

/** The configuration page. */
export function Config() {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Configuration',
    () => heading,
  );
  const [doc, setDoc] = createSignal<unknown>(undefined);
  const [fileName, setFileName] = createSignal('');
  const [mode, setMode] = createSignal<'merge' | 'replace'>('merge');
  const [plan, setPlan] = createSignal<ImportReport | null>(null);
  const [done, setDone] = createSignal<ImportReport | null>(null);
  const [problems, setProblems] = createSignal<[string, string][]>([]);
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  const fail = (e: unknown) => {
    if (e instanceof ApiError && Object.keys(e.fields).length > 0) {
      setProblems(Object.entries(e.fields));
      setError(e.message);
    } else setError(e instanceof Error ? e.message : String(e));
  };
  const reset = () => {
    setPlan(null);
    setDone(null);
    setProblems([]);
    setError('');
  };
  const pick = async (file: File | undefined) => {
    reset();
    setDoc(undefined);
    if (!file) return;
    setFileName(file.name);
    const text = await file.text();
    try {
      // YAML is read in the browser (a JSON file is YAML too); the parser loads only on this page
      const YAML = await import('yaml');
      setDoc(YAML.parse(text, { uniqueKeys: true }));
    } catch (e) {
      setError(`${file.name} is not valid YAML or JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setProblems([]);
    setError('');
    try {
      const r = await automationApi.importConfig(doc(), mode(), dryRun);
      if (dryRun) setPlan(r);
      else {
        setPlan(null);
        setDone(r);
      }
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const changes = (r: ImportReport) =>
    r.summary.create + r.summary.update + r.summary.delete + (r.users ? r.users.summary.create + r.users.summary.update : 0) + (r.channels ? r.channels.summary.create + r.channels.summary.update : 0);
  const noSecret = (m: string[]) => (m.length > 0 ? `; sends nothing until ${m.join(', ')} is set on the Channels page` : '');

  return (
    <section class="config">
      <h1 ref={(el) => (heading = el)} tabindex="-1">
        Configuration
      </h1>
      <div class="card">
        <h2>Export</h2>
        <p class="muted">
          Every target with all its settings, to keep in Git and apply again with the import below or <code>npm run netwatch -- import</code>.
        </p>
        <a class="btn" href={`${BASE}/api/config?format=yaml`} download="netwatch.yaml">
          Download YAML
        </a>{' '}
        <a class="btn" href={`${BASE}/api/config?format=json`} download="netwatch.json">
          Download JSON
        </a>
        <Show when={isAdmin()}>
          {' '}
          <a class="btn" href={`${BASE}/api/config?format=yaml&users=true&channels=true`} download="netwatch.yaml">
            YAML with users and channels (no secrets)
          </a>
        </Show>
      </div>
      <Show when={isAdmin()} fallback={<p class="muted">Only admins import configuration.</p>}>
        <div class="card">
          <h2>Import</h2>
          <div class="filters">
            <label>
              File <input type="file" name="file" accept=".yaml,.yml,.json" onChange={(e) => void pick(e.currentTarget.files?.[0])} />
            </label>
            <label>
              Mode
              <select
                name="mode"
                value={mode()}
                onChange={(e) => {
                  setMode(e.currentTarget.value as 'merge' | 'replace');
                  reset();
                }}
              >
                <option value="merge">Merge: add and update, keep targets not in the file</option>
                <option value="replace">Replace: also delete targets not in the file</option>
              </select>
            </label>
            <button type="button" class="btn" disabled={doc() === undefined || busy()} onClick={() => void run(true)}>
              Preview changes
            </button>
          </div>
          <Show when={error()}>
            <p class="error" role="alert">
              {error()}
            </p>
          </Show>
          <Show when={problems().length > 0}>
            <ul class="problems" aria-label="Problems in the file">
              <For each={problems()}>
                {([path, msg]) => (
                  <li>
                    <code>{path}</code>: {msg}
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={plan()}>
            {(p) => (
              <div class="import-plan" data-testid="import-plan">
                <p>
                  Preview of <strong class="quoted">{fileName()}</strong> ({p().mode}): {p().summary.create} to create, {p().summary.update} to update, {p().summary.delete} to delete,{' '}
                  {p().summary.unchanged} unchanged. Nothing has changed yet.
                </p>
                <ul class="diff">
                  <For each={p().create}>
                    {(c) => (
                      <li class="diff-add">
                        + {c.name}{' '}
                        <span class="muted">
                          {c.host}:{c.port}
                        </span>
                      </li>
                    )}
                  </For>
                  <For each={p().update}>
                    {(u) => (
                      <li class="diff-change">
                        ~ {u.name} <ChangeList changes={u.changes} />
                      </li>
                    )}
                  </For>
                  <For each={p().delete}>{(d) => <li class="diff-del">− {d.name}</li>}</For>
                  <For each={p().users?.create ?? []}>
                    {(u) => (
                      <li class="diff-add">
                        + user {u.username} <span class="muted">{u.role}; no password until an admin sets one</span>
                      </li>
                    )}
                  </For>
                  <For each={p().users?.update ?? []}>
                    {(u) => (
                      <li class="diff-change">
                        ~ user {u.username} <ChangeList changes={u.changes} />
                      </li>
                    )}
                  </For>
                  <For each={p().channels?.create ?? []}>
                    {(ch) => (
                      <li class="diff-add">
                        + channel {ch.name}{' '}
                        <span class="muted">
                          {ch.kind}
                          {noSecret(ch.secretsMissing)}
                        </span>
                      </li>
                    )}
                  </For>
                  <For each={p().channels?.update ?? []}>
                    {(ch) => (
                      <li class="diff-change">
                        ~ channel {ch.name} <span class="muted">{noSecret(ch.secretsMissing)}</span> <ChangeList changes={ch.changes} />
                      </li>
                    )}
                  </For>
                </ul>
                <button type="button" class="btn primary" disabled={busy() || changes(p()) === 0} onClick={() => void run(false)}>
                  {changes(p()) === 0 ? 'Nothing to apply' : 'Apply these changes'}
                </button>{' '}
                <button type="button" class="btn" onClick={reset}>
                  Cancel
                </button>
              </div>
            )}
          </Show>
          <Show when={done()}>
            {(d) => (
              <p role="status" data-testid="import-done">
                Imported: {d().summary.create} created, {d().summary.update} updated, {d().summary.delete} deleted, {d().summary.unchanged} unchanged.
              </p>
            )}
          </Show>
        </div>
      </Show>
    </section>
  );
}
