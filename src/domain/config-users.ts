/**
 * The optional `users` section of the configuration file (issue 14 §3): `[{username, role}]`,
 * never a password or its hash. Export includes it only when asked (`GET /api/config?users=true`).
 * On import, a section that is present is applied by username (compared as the users store does,
 * NFC + lower case, store/users.ts `usernameKey`):
 * - a stored user of that name is updated (its role, and the name's spelling);
 * - a new name is created **without a usable password**: it cannot log in until an admin sets a
 *   password (Users page or `PUT /api/users/:id`). A file never carries passwords, and a guessable
 *   default would be a way in; so the import reports `passwordSet: false` for it;
 * - users the file does not name are left alone, in `replace` mode too (import never deletes users);
 * - a plan that would leave no admin is refused (400 on `users`).
 * Pure and browser-safe.
 */
import { fieldChanges, type FieldChange } from './audit-diff.js';
import { issuesToFields } from './target-rules.js';
import type { Role } from './types.js';
import { role, username } from './user-rules.js';
import { z } from 'zod';

/** One user of a file. */
export interface ConfigUser {
  username: string;
  role: Role;
}

/** A valid entry and where it is in the file. */
export interface ParsedUser extends ConfigUser {
  index: number;
}

/** A stored user as the plan sees it. */
export interface StoredUser extends ConfigUser {
  id: number;
}

/** What an import does to users (or, in a dry run, would do). */
export interface UserPlan {
  create: ParsedUser[];
  update: (ParsedUser & { id: number; changes: Record<string, FieldChange> })[];
  unchanged: (ParsedUser & { id: number })[];
}

const entry = z.object({ username, role: role.default('viewer') }).strict();

/** The comparison form of a username (the users store's `usernameKey`). */
export const userKey = (name: string) => name.normalize('NFC').toLowerCase();

/**
 * Validates the `users` section; problems go into `errors` by path (`users.2.role`, a repeated
 * name on `users.3.username`). `role` defaults to viewer (the least a forgotten field can grant).
 */
export function parseConfigUsers(raw: unknown, errors: Record<string, string>): ParsedUser[] {
  if (!Array.isArray(raw)) {
    errors.users = 'users must be a list (it may be empty).';
    return [];
  }
  const out: ParsedUser[] = [];
  const seen = new Map<string, number>();
  raw.forEach((u: unknown, index) => {
    const r = entry.safeParse(u);
    if (!r.success) {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) errors[`users.${index}`] = 'Each user must be an object with username and role.';
      else
        for (const [f, m] of Object.entries(issuesToFields(r.error.issues)))
          errors[`users.${index}.${f}`] = f === 'password' || f === 'passwordHash' ? 'Passwords are not imported: set them on the Users page.' : m;
      return;
    }
    const first = seen.get(userKey(r.data.username));
    if (first !== undefined) errors[`users.${index}.username`] = `Same username as users.${first}.`;
    else seen.set(userKey(r.data.username), index);
    out.push({ index, ...r.data });
  });
  return out;
}

/**
 * Plans the users section against stored users.
 * @returns the plan, or the error for `users` when it would leave no admin
 */
export function planUsers(stored: readonly StoredUser[], entries: readonly ParsedUser[], locked: ReadonlySet<number> = new Set()): { plan: UserPlan } | { error: string } {
  const byKey = new Map(stored.map((s) => [userKey(s.username), s]));
  const plan: UserPlan = { create: [], update: [], unchanged: [] };
  const roles = new Map(stored.map((s) => [s.id, s.role]));
  for (const e of entries) {
    const s = byKey.get(userKey(e.username));
    if (!s) {
      plan.create.push(e);
      continue;
    }
    const changes = fieldChanges({ username: s.username, role: s.role }, { username: e.username, role: e.role });
    roles.set(s.id, e.role);
    if (Object.keys(changes).length === 0) plan.unchanged.push({ ...e, id: s.id });
    else plan.update.push({ ...e, id: s.id, changes });
  }
  // a created admin has no password yet, nor has a stored one in `locked`: neither can stand in for the last admin who can log in
  const storedAdmins = [...roles].filter(([id, r]) => r === 'admin' && !locked.has(id)).length;
  if (stored.some((s) => s.role === 'admin' && !locked.has(s.id)) && storedAdmins === 0) {
    return { error: 'The file would leave no admin who can log in; keep at least one stored admin as admin.' };
  }
  return { plan };
}
