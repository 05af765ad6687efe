/** Users page (admins only): list with search and roles, create, edit (rename / reset password / role), delete with confirm. */
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { UserEditor } from '../components/UserEditor.tsx';
import { usePage } from '../lib/focus.ts';
import { AdminsOnly } from '../components/AdminsOnly.tsx';
import { formatLocalWithOffset } from '../lib/time.ts';
import { currentUser, isAdmin, setCurrentUser } from '../session.ts';
import type { User } from '../types.ts';

/** The users page; viewers are told it is for admins (the API refuses them anyway). */
export function Users() {
  return (
    <Show
      when={isAdmin()}
      fallback={
        <AdminsOnly title="Users" class="users">
          Only admins manage users. Your role is viewer.
        </AdminsOnly>
      }
    >
      <UsersAdmin />
    </Show>
  );
}

function UsersAdmin() {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Users',
    () => heading,
  );
  const [q, setQ] = createSignal('');
  const [users, setUsers] = createSignal<User[]>([]);
  const [error, setError] = createSignal('');
  const [editing, setEditing] = createSignal<{ user: User | null } | null>(null);
  const [deleting, setDeleting] = createSignal<User | null>(null);

  let seq = 0;
  const load = async () => {
    const mine = ++seq;
    try {
      const res = await api.users(q().trim() || undefined);
      if (mine === seq) {
        setUsers(res.users);
        setError('');
      }
    } catch (e) {
      if (mine === seq) setError(e instanceof Error ? e.message : String(e));
    }
  };
  let debounce: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(
      q,
      () => {
        clearTimeout(debounce);
        debounce = setTimeout(() => void load(), 150);
      },
      { defer: true },
    ),
  );
  void load();

  return (
    <section class="users">
      <div class="toolbar">
        <h1 ref={(el) => (heading = el)} tabindex="-1">
          Users
        </h1>
        <span class="spacer" />
        <button type="button" class="btn primary" onClick={() => setEditing({ user: null })}>
          + Add user
        </button>
      </div>
      <div class="filters">
        <label>
          Search
          <input type="search" placeholder="username" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="table-wrap">
        <table class="table" aria-label="Users">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={users()}>
              {(u) => {
                const self = () => u.id === currentUser()?.id;
                return (
                  <tr data-user-id={u.id}>
                    <td>
                      {u.username}
                      <Show when={self()}>
                        {' '}
                        <span class="muted">(you)</span>
                      </Show>
                    </td>
                    <td data-label="Role">{u.role}</td>
                    <td class="mono">{formatLocalWithOffset(u.createdAt)}</td>
                    <td class="c-actions">
                      <button type="button" class="btn small" aria-label={`Edit ${u.username}`} onClick={() => setEditing({ user: u })}>
                        Edit
                      </button>
                      <button
                        type="button"
                        class="btn small danger"
                        aria-label={`Delete ${u.username}`}
                        disabled={self()}
                        title={self() ? 'You cannot delete yourself' : undefined}
                        onClick={() => setDeleting(u)}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
        <Show when={users().length === 0 && !error()}>
          <p class="empty">No user matches.</p>
        </Show>
      </div>
      <UserEditor
        open={editing() !== null}
        user={editing()?.user ?? null}
        onClose={() => setEditing(null)}
        onSaved={(u) => {
          if (u.id === currentUser()?.id) setCurrentUser(u);
          setEditing(null);
          void load();
        }}
      />
      <ConfirmDialog
        open={deleting() !== null}
        title="Delete user"
        message={
          <>
            Delete user <strong class="quoted">{deleting()?.username}</strong>? They will no longer be able to log in, and their API tokens stop working.
          </>
        }
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          const u = deleting();
          if (!u) return;
          await api.deleteUser(u.id);
          setDeleting(null);
          void load();
        }}
      />
    </section>
  );
}
