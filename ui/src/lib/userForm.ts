/** Client-side checks of the user form (same limits as the API: passwords 8–256 characters). */

/** The user form's fields as typed; `confirm` repeats the password. */
export interface UserFormValues {
  username: string;
  password: string;
  confirm: string;
}

/**
 * Per-field errors of a user form; `password` may be blank when editing (keeps the old one).
 * A password typed must be typed again in `confirm`, as on the setup page.
 */
export function userFormErrors(f: UserFormValues, editing: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.username.trim()) e.username = 'Username is required.';
  if (f.password === '' && f.confirm === '' && editing) return e;
  if (f.password.length < 8) e.password = 'Password must be at least 8 characters.';
  else if (f.password.length > 256) e.password = 'Password must be at most 256 characters.';
  if (f.confirm !== f.password) e.confirm = 'Passwords do not match.';
  return e;
}
