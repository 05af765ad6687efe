/** Modal form to create a user or edit one (rename, reset password). */
import { createSignal, Show } from 'solid-js';
import { ApiError, api } from '../api.ts';
import { userFormErrors } from '../lib/userForm.ts';
import { ROLES, type Role, type User } from '../types.ts';
import { focusFirstInvalid } from '../lib/focus.ts';
import { Field } from './Field.tsx';
import { Modal } from './Modal.tsx';

/** Props of {@link UserEditor}. */
export interface UserEditorProps {
  open: boolean;
  /** The user to edit, or null to create one. */
  user: User | null;
  onClose: () => void;
  onSaved: (u: User) => void;
}

/** The create/edit user modal. */
export function UserEditor(props: UserEditorProps) {
  return (
    <Modal open={props.open} title={props.user ? `Edit user ${props.user.username}` : 'Add user'} onClose={props.onClose}>
      <UserForm user={props.user} onClose={props.onClose} onSaved={props.onSaved} />
    </Modal>
  );
}

function UserForm(props: Omit<UserEditorProps, 'open'>) {
  const [username, setUsername] = createSignal(props.user?.username ?? '');
  const [password, setPassword] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [role, setRole] = createSignal<Role>(props.user?.role ?? 'admin');
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    setError('');
    const e = userFormErrors({ username: username(), password: password(), confirm: confirm() }, !!props.user);
    setFields(e);
    if (Object.keys(e).length) return void focusFirstInvalid(ev.currentTarget as HTMLFormElement);
    const form = ev.currentTarget as HTMLFormElement;
    setBusy(true);
    try {
      const saved = props.user
        ? await api.updateUser(props.user.id, { username: username(), role: role(), ...(password() ? { password: password() } : {}) })
        : await api.createUser(username(), password(), role());
      props.onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError) {
        setFields(err.fields);
        setError(err.message);
        focusFirstInvalid(form);
      } else setError(String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="editor" onSubmit={submit} novalidate>
      <Field label="Username" error={fields().username}>
        {(c) => (
          <input
            id={c.id}
            name="username"
            autocomplete="off"
            autofocus
            aria-describedby={c.describedBy}
            aria-invalid={c.invalid}
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label={props.user ? 'New password (leave blank to keep)' : 'Password'} error={fields().password} hint="8–256 characters">
        {(c) => (
          <input
            id={c.id}
            name="password"
            type="password"
            autocomplete="new-password"
            aria-describedby={c.describedBy}
            aria-invalid={c.invalid}
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label={props.user ? 'Confirm new password' : 'Confirm password'} error={fields().confirm}>
        {(c) => (
          <input
            id={c.id}
            name="confirm"
            type="password"
            autocomplete="new-password"
            aria-describedby={c.describedBy}
            aria-invalid={c.invalid}
            value={confirm()}
            onInput={(e) => setConfirm(e.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="Role" error={fields().role} hint="admin: changes anything · viewer: sees targets, history, probe logs and the wire view, changes nothing">
        {(c) => (
          <select id={c.id} name="role" aria-describedby={c.describedBy} aria-invalid={c.invalid} value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        )}
      </Field>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="actions">
        <button type="button" class="btn" onClick={() => props.onClose()}>
          Cancel
        </button>
        <button type="submit" class="btn primary" disabled={busy()}>
          {props.user ? 'Save' : 'Add user'}
        </button>
      </div>
    </form>
  );
}
