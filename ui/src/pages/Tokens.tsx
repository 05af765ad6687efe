/**
 * API tokens page (issue 14 §1): the user's own tokens with last use; create one (name, optional
 * expiry) and see it once; revoke with confirm. Admins may list every user's tokens and revoke any.
 */
import { createSignal, For, Show } from 'solid-js';
import { automationApi, type ApiTokenView } from '../api-automation.ts';
import { ApiError } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { usePage } from '../lib/focus.ts';
import { formatLocalWithOffset } from '../lib/time.ts';
import { isAdmin } from '../session.ts';

const DAY = 86_400_000;
const EXPIRY = [
  { label: 'Never', days: 0 },
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
];

/** The tokens page. */
export function Tokens() {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'API tokens',
    () => heading,
  );
  const [tokens, setTokens] = createSignal<(ApiTokenView & { username?: string })[]>([]);
  const [all, setAll] = createSignal(false);
  const [name, setName] = createSignal('');
  const [days, setDays] = createSignal(90);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal('');
  const [created, setCreated] = createSignal<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = createSignal<ApiTokenView | null>(null);
  const load = async () => {
    try {
      setTokens((await automationApi.tokens(all())).tokens);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  void load();
  const create = async (ev: SubmitEvent) => {
    ev.preventDefault();
    setFields({});
    setError('');
    try {
      const t = await automationApi.createToken(name().trim(), days() === 0 ? null : Date.now() + days() * DAY);
      setCreated({ name: t.name, token: t.token });
      setName('');
      void load();
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length > 0) setFields(e.fields);
      else setError(e instanceof Error ? e.message : String(e));
    }
  };
  const when = (ms: number | null, none: string) => (ms === null ? none : formatLocalWithOffset(ms));
  return (
    <section class="tokens">
      <h1 ref={(el) => (heading = el)} tabindex="-1">
        API tokens
      </h1>
      <p class="muted">
        A token lets a script or CI job use the API as you, with your role: send <code>Authorization: Bearer &lt;token&gt;</code>. It is shown once; NetWatch keeps only a hash of it.
      </p>
      <form class="card token-form" onSubmit={create}>
        <label>
          Name
          <input name="name" required maxLength={100} value={name()} onInput={(e) => setName(e.currentTarget.value)} aria-invalid={fields().name ? 'true' : undefined} />
          <Show when={fields().name}>
            <span class="field-error">{fields().name}</span>
          </Show>
        </label>
        <label>
          Expires
          <select name="expiry" value={days()} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            <For each={EXPIRY}>{(o) => <option value={o.days}>{o.label}</option>}</For>
          </select>
          <Show when={fields().expiresAt}>
            <span class="field-error">{fields().expiresAt}</span>
          </Show>
        </label>
        <button type="submit" class="btn primary">
          Create token
        </button>
      </form>
      <Show when={created()}>
        {(c) => (
          <div class="card token-created" role="status">
            <p>
              Token <strong class="quoted">{c().name}</strong> created. Copy it now: it will not be shown again.
            </p>
            <input class="mono wide" readOnly value={c().token} aria-label="New token" data-testid="new-token" onFocus={(e) => e.currentTarget.select()} />
            <button type="button" class="btn small" onClick={() => void navigator.clipboard?.writeText(c().token)}>
              Copy
            </button>
            <button type="button" class="btn small" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={isAdmin()}>
        <label class="inline">
          <input
            type="checkbox"
            checked={all()}
            onChange={(e) => {
              setAll(e.currentTarget.checked);
              void load();
            }}
          />{' '}
          Show every user's tokens
        </label>
      </Show>
      <div class="table-wrap">
        <table class="table" aria-label="API tokens">
          <thead>
            <tr>
              <Show when={all()}>
                <th scope="col">User</th>
              </Show>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">From</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={tokens()}>
              {(t) => (
                <tr data-token-id={t.id}>
                  <Show when={all()}>
                    <td>{t.username}</td>
                  </Show>
                  <td>{t.name}</td>
                  <td class="mono">{formatLocalWithOffset(t.createdAt)}</td>
                  <td class="mono">
                    {when(t.expiresAt, 'never')}
                    <Show when={t.expiresAt !== null && t.expiresAt <= Date.now()}>
                      {' '}
                      <span class="pill pill-down">expired</span>
                    </Show>
                  </td>
                  <td class="mono">{when(t.lastUsedAt, 'not yet')}</td>
                  <td class="mono">{t.lastUsedFrom ?? '—'}</td>
                  <td class="c-actions">
                    <button type="button" class="btn small danger" aria-label={`Revoke ${t.name}`} onClick={() => setRevoking(t)}>
                      Revoke
                    </button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <Show when={tokens().length === 0}>
          <p class="empty">No tokens yet.</p>
        </Show>
      </div>
      <ConfirmDialog
        open={revoking() !== null}
        title="Revoke token"
        confirmLabel="Revoke"
        message={
          <>
            Revoke token <strong class="quoted">{revoking()?.name}</strong>? Scripts using it stop working at once.
          </>
        }
        onCancel={() => setRevoking(null)}
        onConfirm={async () => {
          const t = revoking();
          if (!t) return;
          await automationApi.revokeToken(t.id);
          setRevoking(null);
          void load();
        }}
      />
    </section>
  );
}
