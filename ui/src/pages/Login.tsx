/** Login page; sends first-run installs to /setup. */
import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, onMount, Show } from 'solid-js';
import { ApiError, api } from '../api.ts';
import { usePage } from '../lib/focus.ts';
import { loadCurrentUser } from '../session.ts';

/** Only same-site paths are followed after login. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** The login form. */
export function Login() {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Log in',
    () => heading,
  );

  onMount(async () => {
    try {
      if ((await api.setupRequired()).required) navigate('/setup', { replace: true });
    } catch {
      // the login form still works without this check
    }
  });

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api.login(username(), password());
      await loadCurrentUser();
      navigate(safeNext(search.next), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('Wrong username or password.');
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card auth">
      <h1>NetWatch</h1>
      <h2 ref={heading} tabindex="-1">
        Log in
      </h2>
      <Show when={search.expired === '1' && !error()}>
        <p class="notice" role="status" data-testid="session-expired">
          Your session has expired. Log in again to continue where you were.
        </p>
      </Show>
      <form onSubmit={submit}>
        <div class="field">
          <label for="login-username">Username</label>
          <input id="login-username" name="username" autocomplete="username" required autofocus value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </div>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" class="btn primary wide" disabled={busy()}>
          Log in
        </button>
      </form>
    </section>
  );
}
