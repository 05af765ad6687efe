/** Who is logged in, shared by the header and the route guard. */
import { createSignal } from 'solid-js';
import { ApiError, api } from './api.ts';
import type { User } from './types.ts';

const [currentUser, setCurrentUser] = createSignal<User | null>(null);

/** The logged-in user, or null before login / after logout. */
export { currentUser, setCurrentUser };

/**
 * True when the logged-in user may change things (role `admin`). Viewers see write controls
 * hidden or disabled; the server refuses their writes anyway (403).
 */
export const isAdmin = (): boolean => currentUser()?.role === 'admin';

/** Asks the server who is logged in; null when nobody is (401). Other errors propagate. */
export async function loadCurrentUser(): Promise<User | null> {
  try {
    const me = await api.me();
    setCurrentUser(me);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCurrentUser(null);
      return null;
    }
    throw e;
  }
}
