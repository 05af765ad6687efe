/** Top bar: product name, navigation, who is logged in, logout. */
import { A, useNavigate } from '@solidjs/router';
import { Show } from 'solid-js';
import { api } from '../api.ts';
import { currentUser, isAdmin, signedOut } from '../session.ts';

/** The header shown on every page behind login. */
export function Header() {
  const navigate = useNavigate();
  const logout = async () => {
    try {
      await api.logout();
    } finally {
      signedOut();
      navigate('/login', { replace: true });
    }
  };
  return (
    <header class="header">
      <A href="/" class="brand">
        NetWatch
      </A>
      <nav aria-label="Main">
        <A href="/" end activeClass="active">
          Targets
        </A>
        <A href="/events" activeClass="active">
          Events
        </A>
        <A href="/maintenance" activeClass="active">
          Maintenance
        </A>
        <A href="/config" activeClass="active">
          Configuration
        </A>
        <A href="/tokens" activeClass="active">
          API tokens
        </A>
        <A href="/wall" activeClass="active">
          Wall
        </A>
        <A href="/nodes" activeClass="active">
          Nodes
        </A>
        <Show when={isAdmin()}>
          <A href="/channels" activeClass="active">
            Channels
          </A>
          <A href="/users" activeClass="active">
            Users
          </A>
          <A href="/audit" activeClass="active">
            Audit
          </A>
        </Show>
      </nav>
      <span class="spacer" />
      <span class="who" data-testid="current-user">
        Signed in as <strong>{currentUser()?.username}</strong>
        <Show when={currentUser()?.role === 'viewer'}>
          {' '}
          <span class="pill pill-nodata" title="You can look at everything but change nothing">
            viewer
          </span>
        </Show>
      </span>
      <button type="button" class="btn" onClick={logout}>
        Log out
      </button>
    </header>
  );
}
