/**
 * First-run setup: creates the first user with the setup token the server logged
 * (prefilled from `?token=`), then logs in.
 */
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { ApiError, api } from '../api.ts';
import { Field } from '../components/Field.tsx';
import { focusFirstInvalid, usePage } from '../lib/focus.ts';
import { loaded } from '../lib/resource.ts';
import { setCurrentUser } from '../session.ts';

/** The setup page. */
export function Setup() {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [status] = createResource(() => api.setupRequired());
  const [token, setToken] = createSignal(typeof search.token === 'string' ? search.token : '');
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  let heading: HTMLHeadingElement | undefined;
  let formEl: HTMLFormElement | undefined;
  usePage(
    () => 'First-run setup',
    () => heading,
  );

  const localErrors = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!token().trim()) e.token = 'The setup token is required (see the server log).';
    if (!username().trim()) e.username = 'Username is required.';
    if (password().length < 8) e.password = 'Password must be at least 8 characters.';
    else if (password().length > 256) e.password = 'Password must be at most 256 characters.';
    if (confirm() !== password()) e.confirm = 'Passwords do not match.';
    return e;
  };

  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    setError('');
    const e = localErrors();
    setFields(e);
    if (Object.keys(e).length) return void focusFirstInvalid(formEl);
    setBusy(true);
    try {
      const user = await api.setup({ token: token().trim(), username: username(), password: password() });
      setCurrentUser(user);
      navigate('/', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) setError('The setup token is wrong, or setup was already done.');
      else if (err instanceof ApiError && err.status === 400) {
        setFields(err.fields);
        setError(err.message);
        focusFirstInvalid(formEl);
      } else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const input = (name: string, label: string, value: () => string, set: (v: string) => void, type = 'text', autocomplete = 'off') => (
    <Field label={label} error={fields()[name]}>
      {(c) => (
        <input
          id={c.id}
          name={name}
          type={type}
          autocomplete={autocomplete}
          aria-describedby={c.describedBy}
          aria-invalid={c.invalid}
          value={value()}
          onInput={(e) => {
            set(e.currentTarget.value);
            setFields((f) => ({ ...f, [name]: '' }));
          }}
        />
      )}
    </Field>
  );

  return (
    <section class="card auth">
      <h1>NetWatch</h1>
      <h2 ref={heading} tabindex="-1">
        First-run setup
      </h2>
      <Show
        when={loaded(status)?.required !== false}
        fallback={
          <p>
            Setup is already done. <A href="/login">Log in</A>.
          </p>
        }
      >
        <p class="muted">Create the first user. The setup token is printed in the server log at start.</p>
        <form ref={formEl} onSubmit={submit} novalidate>
          {input('token', 'Setup token', token, setToken)}
          {input('username', 'Username', username, setUsername, 'text', 'username')}
          {input('password', 'Password', password, setPassword, 'password', 'new-password')}
          {input('confirm', 'Confirm password', confirm, setConfirm, 'password', 'new-password')}
          <Show when={error()}>
            <p class="error" role="alert">
              {error()}
            </p>
          </Show>
          <button type="submit" class="btn primary wide" disabled={busy()}>
            Create user and log in
          </button>
        </form>
      </Show>
    </section>
  );
}
