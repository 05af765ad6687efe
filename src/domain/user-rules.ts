/**
 * Validation rules for users, shared by the API and the UI. Browser-safe.
 * Usernames: 1–64 characters of letters, digits and `. _ @ -`. Passwords: 8–256 characters of any
 * kind, spaces kept as typed (user's spec; NIST SP 800-63B §5.1.1 for the minimum length).
 */
import { z } from 'zod';
import { ROLES } from './types.js';

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

/** Role rule: `admin` or `viewer` (see ROLES in types.ts). */
export const role = z.enum(ROLES, { error: 'Role must be admin or viewer.' });

/** Body of POST /api/users; `role` defaults to admin (as every user was before roles). */
export const userCreate = z.object({ username, password, role: role.default('admin') }).strict();
/** Body of PUT /api/users/:id (any of the three). */
export const userUpdate = z
  .object({ username: username.optional(), password: password.optional(), role: role.optional() })
  .strict()
  .refine((u) => u.username !== undefined || u.password !== undefined || u.role !== undefined, { error: 'Give a username, a password or a role to change.' });
/** Body of POST /api/login: any strings; wrong ones get the same 401. */
export const loginBody = z.object({
  username: z.string({ error: 'Username is required.' }).min(1, { error: 'Username is required.' }).max(256),
  password: z.string({ error: 'Password is required.' }).min(1, { error: 'Password is required.' }).max(1024),
});
/** Body of POST /api/setup. */
export const setupBody = z.object({ token: z.string({ error: 'Setup token is required.' }).min(1, { error: 'Setup token is required.' }), username, password }).strict();
