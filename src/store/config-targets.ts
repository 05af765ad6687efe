/**
 * Targets as the configuration file sees them (issue 14 §3): settings with their `config_key`,
 * and applying an import plan. Call {@link applyImportPlan} inside one {@link Db.tx}.
 */
import { SQL } from 'sql-template-strings';
import { normalTarget, type ImportPlan, type StoredTarget } from '../domain/config-file.js';
import type { TargetInput } from '../domain/target-rules.js';
import type { Db } from './db.js';
import { assignDefaultChannels, forgetTargetChannels } from './channels.js';
import { createTarget, deleteTarget, toTarget, updateTarget, type TargetRow } from './targets.js';

/**
 * Every target with its key. `lock` (in a transaction) locks the rows on MySQL (`FOR UPDATE`) so
 * two imports cannot plan against the same state; SQLite transactions are already exclusive.
 */
export async function listStoredTargets(db: Db, opts: { lock?: boolean } = {}): Promise<StoredTarget[]> {
  const q = SQL`SELECT * FROM targets ORDER BY id`;
  if (opts.lock && db.dialect === 'mysql') q.append(' FOR UPDATE');
  const rows = await db.all<TargetRow & { config_key: string | null }>(q);
  return rows.map((r) => ({ id: Number(r.id), key: r.config_key ?? null, target: normalTarget(toTarget(r)) }));
}

/** Sets a target's key (null clears it). */
export async function setConfigKey(db: Db, id: number, key: string | null): Promise<void> {
  await db.run(SQL`UPDATE targets SET config_key = ${key} WHERE id = ${id}`);
}

/**
 * Applies a plan's targets (their channels: store/config-channels.ts): deletes, then updates, then
 * creates, each created one with the default channels as through the API (results of deleted
 * targets go with the purge actor, as for a DELETE). @param now UTC epoch ms; @returns the ids of created targets, in plan order
 */
export async function applyImportPlan(db: Db, plan: ImportPlan, now: number): Promise<number[]> {
  for (const d of plan.delete) {
    await deleteTarget(db, d.id);
    await forgetTargetChannels(db, d.id); // as DELETE /api/targets/:id does: no link outlives its target
  }
  for (const u of plan.update) {
    await setConfigKey(db, u.id, u.key);
    await updateTarget(db, u.id, u.target as TargetInput, now);
  }
  const ids: number[] = [];
  for (const c of plan.create) {
    const t = await createTarget(db, c.target as TargetInput, now);
    // as POST /api/targets: a new target gets the default channels (an entry naming its channels replaces them next)
    await assignDefaultChannels(db, t.id);
    if (c.key !== null) await setConfigKey(db, t.id, c.key);
    ids.push(t.id);
  }
  return ids;
}
