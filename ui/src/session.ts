/**
 * Who is logged in, shared by the header and the route guard, and whether this browser was logged
 * in before (so the login page can say a session expired rather than just ask to log in).
 */
import { createSignal } from 'solid-js';
import { ApiError, api } from './api.ts';
import type { User } from './types.ts';

const [currentUser, setUser] = createSignal<User | null>(null);

/** localStorage key set while this browser holds a session it got by logging in. */
const SIGNED_IN_KEY = 'netwatch.signedIn';

const storage = (): Storage | null => {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: the login page then cannot tell expiry from a first visit
  }
};

/** The logged-in user, or null before login / after logout. */
export { currentUser };

/** Sets the logged-in user; a user (login, setup) also remembers that this browser signed in. */
export function setCurrentUser(user: User | null): void {
  if (user) storage()?.setItem(SIGNED_IN_KEY, '1');
  setUser(user);
}

/** Forgets the sign-in on purpose (logout): the login page then says nothing about expiry. */
export function signedOut(): void {
  storage()?.removeItem(SIGNED_IN_KEY);
  setUser(null);
}

/**
 * Called when the server says there is no session (401): true when this browser had one
 * (it expired or was revoked), false on a first visit or after a logout. Forgets the sign-in.
 */
export function sessionEnded(): boolean {
  const had = currentUser() !== null || storage()?.getItem(SIGNED_IN_KEY) === '1';
  storage()?.removeItem(SIGNED_IN_KEY);
  setUser(null);
  return had;
}

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
      setUser(null);
      return null;
    }
    throw e;
  }
}
