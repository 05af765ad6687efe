/**
 * App layout and route guard (with the health banner on every page): public pages (/login, /setup) render as is; every other page
 * waits for the current user (GET /api/me) and sends visitors who are not logged in to /login.
 */
import { useLocation, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { createEffect, createSignal, Show, untrack } from 'solid-js';
import { setUnauthorizedHandler } from './api.ts';
import { Header } from './components/Header.tsx';
import { HealthBanner } from './components/HealthBanner.tsx';
import { currentUser, loadCurrentUser, sessionEnded } from './session.ts';
import { appPath } from './lib/base.ts';

const PUBLIC_PATHS = new Set(['/login', '/setup']);

/** Root component of the router: header, guard, page. */
export function App(props: RouteSectionProps) {
  const navigate = useNavigate();
  const location = useLocation();
  const isPublic = () => PUBLIC_PATHS.has(appPath(location.pathname));
  const [error, setError] = createSignal('');
  /** Bumped to ask /api/me again after a failure other than 401 (server or database down). */
  const [attempt, setAttempt] = createSignal(0);
  const RETRY_MS = 3_000;

  // A 401: to the login page, saying so when this browser had a session (it expired or was revoked).
  const toLogin = () => {
    const expired = sessionEnded();
    if (isPublic()) return;
    const next = appPath(location.pathname) + location.search;
    const params = new URLSearchParams();
    if (expired) params.set('expired', '1');
    if (next !== '/') params.set('next', next);
    const q = params.toString();
    navigate(q ? `/login?${q}` : '/login', { replace: true });
  };
  setUnauthorizedHandler(toLogin);

  let checking = false;
  createEffect(() => {
    attempt();
    if (isPublic() || currentUser() || checking) return;
    checking = true;
    untrack(() => {
      loadCurrentUser()
        .then((me) => {
          setError('');
          if (!me) toLogin();
        })
        .catch((e: unknown) => {
          setError(e instanceof Error ? e.message : String(e));
          // keep asking: the page recovers by itself once the server answers again
          setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
        })
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
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <Show when={isPublic() || currentUser()} fallback={<p class="muted">Loading…</p>}>
          {props.children}
        </Show>
      </main>
    </>
  );
}
