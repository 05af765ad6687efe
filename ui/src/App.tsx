/**
 * App layout and route guard (with the health banner on every page): public pages (/login, /setup) render as is; every other page
 * waits for the current user (GET /api/me) and sends visitors who are not logged in to /login.
 */
import { useLocation, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { createEffect, createSignal, Show, untrack } from 'solid-js';
import { setUnauthorizedHandler } from './api.ts';
import { Header } from './components/Header.tsx';
import { HealthBanner } from './components/HealthBanner.tsx';
import { currentUser, loadCurrentUser, setCurrentUser } from './session.ts';
import { appPath } from './lib/base.ts';

const PUBLIC_PATHS = new Set(['/login', '/setup']);

/** Root component of the router: header, guard, page. */
export function App(props: RouteSectionProps) {
  const navigate = useNavigate();
  const location = useLocation();
  const isPublic = () => PUBLIC_PATHS.has(appPath(location.pathname));
  const [error, setError] = createSignal('');

  const toLogin = () => {
    setCurrentUser(null);
    if (isPublic()) return;
    const next = appPath(location.pathname) + location.search;
    navigate(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, { replace: true });
  };
  setUnauthorizedHandler(toLogin);

  let checking = false;
  createEffect(() => {
    if (isPublic() || currentUser() || checking) return;
    checking = true;
    untrack(() => {
      loadCurrentUser()
        .then((me) => {
          setError('');
          if (!me) toLogin();
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
        .finally(() => {
          checking = false;
        });
    });
  });

  return (
    <>
      <Show when={!isPublic() && currentUser()}>
        <Header />
      </Show>
      <HealthBanner />
      <main class="main" classList={{ narrow: isPublic() }}>
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
        <Show when={isPublic() || currentUser()} fallback={<p class="muted">Loading…</p>}>
          {props.children}
        </Show>
      </main>
    </>
  );
}
