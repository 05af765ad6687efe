/** Client-side checks of the user form (same limits as the API: passwords 8–256 characters). */

/** Per-field errors of a user form; `password` may be blank when editing (keeps the old one). */
export function userFormErrors(f: { username: string; password: string }, editing: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.username.trim()) e.username = 'Username is required.';
  if (f.password === '' && editing) return e;
  if (f.password.length < 8) e.password = 'Password must be at least 8 characters.';
  else if (f.password.length > 256) e.password = 'Password must be at most 256 characters.';
  return e;
}
