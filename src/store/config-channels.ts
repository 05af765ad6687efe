/**
 * Channels as the configuration file sees them (issue 14 §3, domain/config-channels.ts): stored
 * channels without secrets, targets' channels by name, and applying the channels section inside
 * the import's one {@link Db.tx}. Secrets are never read or written from a file: an updated
 * channel keeps its sealed secrets (same kind), a created one has none.
 */
import { SQL } from 'sql-template-strings';
import type { AuditEvent } from '../audit/record.js';
import type { ChannelPlan, StoredChannel } from '../domain/config-channels.js';
import type { ImportPlan, StoredTarget } from '../domain/config-file.js';
import { createChannel, listChannels, publicChannel, updateChannel, type ChannelRecord, type SecretBox } from './channels.js';
import type { Db } from './db.js';

/** Every channel as the plan sees it (settings without secrets or URL credentials, which secrets are set, and the stored settings to check a save against). */
export async function listStoredChannels(db: Db): Promise<StoredChannel[]> {
  return (await listChannels(db)).map((c) => ({
    id: c.id,
    name: c.name,
    kind: c.kind,
    isDefault: c.isDefault,
    config: publicChannel(c).config,
    secretsSet: c.secretsSet,
    storedConfig: c.config,
  }));
}

/** `stored` with each target's channel names (sorted) attached. */
export async function withChannelNames(db: Db, stored: readonly StoredTarget[]): Promise<StoredTarget[]> {
  const rows = await db.all<{ target_id: number; name: string }>(SQL`SELECT tc.target_id, c.name FROM target_channels tc JOIN channels c ON c.id = tc.channel_id`);
  const names = new Map<number, string[]>();
  for (const r of rows) names.set(Number(r.target_id), [...(names.get(Number(r.target_id)) ?? []), r.name]);
  return stored.map((s) => ({ ...s, channels: (names.get(s.id) ?? []).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) }));
}

/** A channel's audited fields: public settings, secrets only by name. */
const audited = (c: ChannelRecord) => {
  const { id: _i, createdAt: _c, updatedAt: _u, ...rest } = publicChannel(c);
  return rest;
};

/**
 * Creates and updates channels as planned; `audit` records each change (same transaction).
 * @param now UTC epoch ms
 * @throws {SecretUnreadableError} when a kept secret cannot be opened (the session secret changed)
 */
export async function applyChannelPlan(db: Db, box: SecretBox, plan: ChannelPlan, now: number, audit: (e: AuditEvent) => Promise<void>): Promise<void> {
  const stored = new Map((await listChannels(db)).map((c) => [c.id, c]));
  for (const u of plan.update) {
    const current = stored.get(u.id)!;
    const saved = (await updateChannel(db, box, current, { name: u.name, kind: u.kind, isDefault: u.isDefault, config: u.config }, now))!;
    await audit({ action: 'update', entity: 'channel', entityId: u.id, before: audited(current), after: audited(saved) });
  }
  for (const c of plan.create) {
    const saved = await createChannel(db, box, { name: c.name, kind: c.kind, isDefault: c.isDefault, config: c.config }, now);
    await audit({ action: 'create', entity: 'channel', entityId: saved.id, after: audited(saved) });
  }
}

/**
 * Sets the channels of each planned target whose entry names them (`createdIds`: the ids of
 * `plan.create`, in order). Call after {@link applyChannelPlan}: names resolve to stored channels.
 */
export async function applyTargetChannels(db: Db, plan: ImportPlan, createdIds: readonly number[]): Promise<void> {
  const ids = new Map((await listChannels(db)).map((c) => [c.name, c.id]));
  const set = async (targetId: number, names: readonly string[]) => {
    await db.run(SQL`DELETE FROM target_channels WHERE target_id = ${targetId}`);
    for (const n of names) await db.run(SQL`INSERT INTO target_channels (target_id, channel_id) VALUES (${targetId}, ${ids.get(n)!})`);
  };
  for (const u of plan.update) if (u.channels !== null && 'channels' in u.changes) await set(u.id, u.channels);
  for (const [i, c] of plan.create.entries()) if (c.channels !== null) await set(createdIds[i]!, c.channels);
}
