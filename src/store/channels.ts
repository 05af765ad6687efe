/**
 * The `channels` and `target_channels` tables (issue 11). Secret fields are split from the
 * settings and stored sealed ({@link SecretBox}); nothing here returns them to the API.
 * Every function takes the {@link Db} first.
 */
import { SQL } from 'sql-template-strings';
import { SECRET_FIELDS, type Channel, type ChannelInput, type ChannelKind } from '../domain/channel-rules.js';
import type { Db } from './db.js';
import { publicSettings } from '../domain/channel-urls.js';
import { mergeUrlSettings, type StoredUrlSettings } from '../domain/channel-url-merge.js';
import { ValidationError } from '../errors.js';

/** Seals and opens secret fields (src/notify/secret-box.ts). */
export interface SecretBox {
  seal(value: Record<string, string>): string;
  open(sealed: string): Record<string, string>;
}

interface ChannelRow {
  id: number;
  name: string;
  kind: string;
  config: string;
  secret: string | null;
  is_default: number;
  created_at: number;
  updated_at: number;
}

/** A stored channel: the API shape plus its sealed secrets (null when none). */
export interface ChannelRecord extends Channel {
  sealed: string | null;
}

function toRecord(r: ChannelRow): ChannelRecord {
  const config = JSON.parse(r.config) as Record<string, unknown>;
  const secretsSet = Array.isArray(config.__secretsSet) ? (config.__secretsSet as string[]) : [];
  delete config.__secretsSet;
  return {
    id: Number(r.id),
    name: r.name,
    kind: r.kind as ChannelKind,
    isDefault: Boolean(Number(r.is_default)),
    config,
    secretsSet,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    sealed: r.secret,
  };
}

/**
 * The API shape of a stored channel: no secrets, and URL settings without their credentials
 * (domain/channel-urls.ts); the API, the audit log and the configuration export all show this.
 */
export function publicChannel(c: ChannelRecord): Channel {
  const { sealed: _sealed, ...rest } = c;
  return { ...rest, config: publicSettings(c.kind, c.config) };
}

/**
 * Splits a validated input's config into settings and secrets; `previous` secrets are kept when
 * omitted, and URL settings keep the stored credentials they show hidden (`stored`, same kind;
 * domain/channel-url-merge.ts).
 * @throws {ValidationError} on `config.url` for a `***` with no stored value to keep
 */
function split(box: SecretBox, input: ChannelInput, previous: Record<string, string>, stored: StoredUrlSettings | null) {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = { ...previous };
  const secretNames = SECRET_FIELDS[input.kind];
  const merged = mergeUrlSettings(input.kind, input.config, stored);
  if (Object.keys(merged.errors).length > 0) throw new ValidationError(merged.errors);
  for (const [k, v] of Object.entries(merged.config)) {
    if (secretNames.includes(k)) secrets[k] = String(v);
    else settings[k] = v;
  }
  for (const k of Object.keys(secrets)) if (!secretNames.includes(k)) delete secrets[k];
  const names = Object.keys(secrets).sort();
  return { config: JSON.stringify({ ...settings, __secretsSet: names }), sealed: names.length > 0 ? box.seal(secrets) : null };
}

/** Lists channels by name. */
export async function listChannels(db: Db): Promise<ChannelRecord[]> {
  return (await db.all<ChannelRow>(SQL`SELECT * FROM channels ORDER BY name, id`)).map(toRecord);
}

/** One channel, or undefined. */
export async function getChannel(db: Db, id: number): Promise<ChannelRecord | undefined> {
  const r = await db.get<ChannelRow>(SQL`SELECT * FROM channels WHERE id = ${id}`);
  return r && toRecord(r);
}

/**
 * Stores a validated channel. @param now UTC epoch ms
 * @throws {ValidationError} on `config.url` for a `***` in a URL (nothing stored to keep)
 */
export async function createChannel(db: Db, box: SecretBox, input: ChannelInput, now: number): Promise<ChannelRecord> {
  const { config, sealed } = split(box, input, {}, null);
  const r = await db.run(SQL`INSERT INTO channels (name, kind, config, secret, is_default, created_at, updated_at)
    VALUES (${input.name}, ${input.kind}, ${config}, ${sealed}, ${input.isDefault ? 1 : 0}, ${now}, ${now})`);
  return (await getChannel(db, r.lastId))!;
}

/**
 * Replaces a channel; secrets omitted from `input.config` keep their stored values, and a URL
 * setting keeps the stored credentials it shows hidden (when the kind is unchanged; domain/channel-url-merge.ts).
 * @returns undefined when the id is unknown
 * @throws {SecretUnreadableError} when stored secrets must be kept but cannot be opened
 * @throws {ValidationError} on `config.url` for a `***` with no stored value to keep
 */
export async function updateChannel(db: Db, box: SecretBox, current: ChannelRecord, input: ChannelInput, now: number): Promise<ChannelRecord | undefined> {
  const previous = current.kind === input.kind && current.sealed ? box.open(current.sealed) : {};
  const { config, sealed } = split(box, input, previous, current.kind === input.kind ? current : null);
  await db.run(SQL`UPDATE channels SET name = ${input.name}, kind = ${input.kind}, config = ${config}, secret = ${sealed},
    is_default = ${input.isDefault ? 1 : 0}, updated_at = ${now} WHERE id = ${current.id}`);
  return getChannel(db, current.id);
}

/** Deletes a channel and its target links. @returns false when the id is unknown */
export async function deleteChannel(db: Db, id: number): Promise<boolean> {
  return db.tx(async (tx) => {
    await tx.run(SQL`DELETE FROM target_channels WHERE channel_id = ${id}`);
    return (await tx.run(SQL`DELETE FROM channels WHERE id = ${id}`)).changes > 0;
  });
}

/** Ids of the channels a target notifies. */
export async function targetChannelIds(db: Db, targetId: number): Promise<number[]> {
  return (await db.all<{ channel_id: number }>(SQL`SELECT channel_id FROM target_channels WHERE target_id = ${targetId} ORDER BY channel_id`)).map((r) => Number(r.channel_id));
}

/** The channels a target notifies. */
export async function channelsOfTarget(db: Db, targetId: number): Promise<ChannelRecord[]> {
  return (
    await db.all<ChannelRow>(SQL`SELECT c.* FROM channels c JOIN target_channels tc ON tc.channel_id = c.id
    WHERE tc.target_id = ${targetId} ORDER BY c.id`)
  ).map(toRecord);
}

/** Replaces a target's channels with `ids` (which must exist; unknown ids are ignored). */
export async function setTargetChannels(db: Db, targetId: number, ids: readonly number[]): Promise<number[]> {
  await db.tx(async (tx) => {
    await tx.run(SQL`DELETE FROM target_channels WHERE target_id = ${targetId}`);
    for (const id of new Set(ids)) {
      await tx.run(SQL`INSERT INTO target_channels (target_id, channel_id) SELECT ${targetId}, id FROM channels WHERE id = ${id}`);
    }
  });
  return targetChannelIds(db, targetId);
}

/**
 * Gives a new target the default channels (those with `isDefault`). The one rule for every new
 * target, however it is made: `POST /api/targets` and a configuration import (store/config-targets.ts),
 * where a file entry that names its `channels` then has them replace these.
 */
export async function assignDefaultChannels(db: Db, targetId: number): Promise<void> {
  await db.run(SQL`INSERT INTO target_channels (target_id, channel_id) SELECT ${targetId}, id FROM channels WHERE is_default = 1`);
}

/** Removes a deleted target's channel links. */
export async function forgetTargetChannels(db: Db, targetId: number): Promise<void> {
  await db.run(SQL`DELETE FROM target_channels WHERE target_id = ${targetId}`);
}
