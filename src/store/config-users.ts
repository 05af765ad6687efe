/**
 * Applies the users section of a configuration file (issue 14 §3, domain/config-users.ts) inside
 * the import's transaction. A created user gets a random password nobody is told (scrypt hash of
 * 32 random bytes), so it cannot log in until an admin sets one.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/password.js';
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
    const hash = await hashPassword(randomBytes(32).toString('base64url'));
    const user = await createUser(db, c.username, hash, now, c.role);
    await audit({ action: 'create', entity: 'user', entityId: user.id, after: { username: user.username, role: user.role, password: 'unusable until an admin sets one' } });
  }
}
