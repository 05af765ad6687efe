/**
 * Applies the users section of a configuration file (issue 14 §3, domain/config-users.ts) inside
 * the import's transaction. A created user gets no usable password (UNUSABLE_PASSWORD_HASH), so it
 * cannot log in until an admin sets one, and does not count as an admin who can log in.
 */
import { UNUSABLE_PASSWORD_HASH } from '../auth/password.js';
import type { UserPlan } from '../domain/config-users.js';
import type { AuditEvent } from '../audit/record.js';
import type { Db } from './db.js';
import { createUser, updateUser } from './users.js';

/**
 * Creates and updates users as planned; `audit` records each change (in the same transaction).
 * @param now UTC epoch ms
 */
export async function applyUserPlan(db: Db, plan: UserPlan, now: number, audit: (e: AuditEvent) => Promise<void>): Promise<void> {
  for (const u of plan.update) {
    await updateUser(db, u.id, { username: u.username, role: u.role }, now);
    await audit({ action: 'update', entity: 'user', entityId: u.id, details: u.changes });
  }
  for (const c of plan.create) {
    const user = await createUser(db, c.username, UNUSABLE_PASSWORD_HASH, now, c.role);
    await audit({ action: 'create', entity: 'user', entityId: user.id, after: { username: user.username, role: user.role, password: 'unusable until an admin sets one' } });
  }
}
