/**
 * Validation rules for users, shared by the API and the UI. Browser-safe.
 * Usernames: 1–64 characters of letters, digits and `. _ @ -`. Passwords: 8–256 characters of any
 * kind, spaces kept as typed (user's spec; NIST SP 800-63B §5.1.1 for the minimum length).
 */
import { z } from 'zod';

/** Username rule. */
export const username = z
  .string({ error: 'Username is required.' })
  .min(1, { error: 'Username is required.' })
  .max(64, { error: 'Username must be at most 64 characters.' })
  .regex(/^[\p{L}\p{N}._@-]+$/u, { error: 'Username may hold letters, digits and . _ @ - only.' });

/** Password rule (length in Unicode code points). */
export const password = z
  .string({ error: 'Password is required.' })
  .refine((s) => [...s].length >= 8, { error: 'Password must be at least 8 characters.' })
  .refine((s) => [...s].length <= 256, { error: 'Password must be at most 256 characters.' });

/** Body of POST /api/users. */
export const userCreate = z.object({ username, password }).strict();
/** Body of PUT /api/users/:id (either or both). */
export const userUpdate = z
  .object({ username: username.optional(), password: password.optional() })
  .strict()
  .refine((u) => u.username !== undefined || u.password !== undefined, { error: 'Give a username or a password to change.' });
/** Body of POST /api/login: any strings; wrong ones get the same 401. */
export const loginBody = z.object({
  username: z.string({ error: 'Username is required.' }).min(1, { error: 'Username is required.' }).max(256),
  password: z.string({ error: 'Password is required.' }).min(1, { error: 'Password is required.' }).max(1024),
});
/** Body of POST /api/setup. */
export const setupBody = z.object({ token: z.string({ error: 'Setup token is required.' }).min(1, { error: 'Setup token is required.' }), username, password }).strict();
