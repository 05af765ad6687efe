/**
 * The `deliveries` table (issue 11): each notification to each channel, stored before its first
 * attempt, so a restart resumes what was pending. Every function takes the {@link Db} first;
 * times are UTC epoch ms.
 */
import { SQL } from 'sql-template-strings';
import type { Delivery, Notice } from '../domain/channel-rules.js';
import type { Db } from './db.js';

interface DeliveryRow {
  id: number;
  channel_id: number;
  target_id: number | null;
  event_id: number | null;
  kind: string;
  message: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** A stored delivery with its message. */
export interface DeliveryRecord extends Delivery {
  notice: Notice;
}

const num = (v: unknown) => (v == null ? null : Number(v));

function toRecord(r: DeliveryRow): DeliveryRecord {
  const notice = JSON.parse(r.message) as Notice;
  return {
    id: Number(r.id),
    channelId: Number(r.channel_id),
    targetId: num(r.target_id),
    eventId: num(r.event_id),
    kind: r.kind as Delivery['kind'],
    status: r.status as Delivery['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error,
    title: notice.title,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    notice,
  };
}

/** The API shape (the message's title, not its whole body). */
export function publicDelivery(d: DeliveryRecord): Delivery {
  const { notice: _notice, ...rest } = d;
  return rest;
}

/** Stores a pending delivery of `notice` to a channel, due at `now`. */
export async function insertDelivery(db: Db, channelId: number, notice: Notice, eventId: number | null, now: number): Promise<DeliveryRecord> {
  const r = await db.run(SQL`INSERT INTO deliveries (channel_id, target_id, event_id, kind, message, status, attempts, next_attempt_at, created_at, updated_at)
    VALUES (${channelId}, ${notice.targetId}, ${eventId}, ${notice.kind}, ${JSON.stringify(notice)}, 'pending', 0, ${now}, ${now}, ${now})`);
  return (await getDelivery(db, r.lastId))!;
}

/** One delivery, or undefined. */
export async function getDelivery(db: Db, id: number): Promise<DeliveryRecord | undefined> {
  const r = await db.get<DeliveryRow>(SQL`SELECT * FROM deliveries WHERE id = ${id}`);
  return r && toRecord(r);
}

/** Records an attempt's end: `sent`, `failed`, or still `pending` until `nextAttemptAt`. */
export async function recordAttempt(db: Db, id: number, a: { status: Delivery['status']; attempts: number; nextAttemptAt: number; lastError: string | null }, now: number): Promise<void> {
  await db.run(SQL`UPDATE deliveries SET status = ${a.status}, attempts = ${a.attempts}, next_attempt_at = ${a.nextAttemptAt},
    last_error = ${a.lastError === null ? null : a.lastError.slice(0, 500)}, updated_at = ${now} WHERE id = ${id}`);
}

/** Every pending delivery, oldest first (resumed after a restart). */
export async function pendingDeliveries(db: Db): Promise<DeliveryRecord[]> {
  return (await db.all<DeliveryRow>(SQL`SELECT * FROM deliveries WHERE status = 'pending' ORDER BY id`)).map(toRecord);
}

/** Filter of the delivery log, newest first. */
export interface DeliveryQuery {
  channelId?: number | undefined;
  targetId?: number | undefined;
  status?: Delivery['status'] | undefined;
  limit: number;
}

/** The delivery log, newest first. */
export async function listDeliveries(db: Db, q: DeliveryQuery): Promise<DeliveryRecord[]> {
  const s = SQL`SELECT * FROM deliveries WHERE 1 = 1`;
  if (q.channelId !== undefined) s.append(SQL` AND channel_id = ${q.channelId}`);
  if (q.targetId !== undefined) s.append(SQL` AND target_id = ${q.targetId}`);
  if (q.status !== undefined) s.append(SQL` AND status = ${q.status}`);
  s.append(SQL` ORDER BY id DESC LIMIT ${q.limit}`);
  return (await db.all<DeliveryRow>(s)).map(toRecord);
}

/** Deletes finished deliveries created before `before` (the log keeps 30 days). @returns rows deleted */
export async function purgeDeliveries(db: Db, before: number): Promise<number> {
  return (await db.run(SQL`DELETE FROM deliveries WHERE status <> 'pending' AND created_at < ${before}`)).changes;
}

/** Whether a delivery of `eventId` to `channelId` is stored (so a retried change queues it once). */
export async function hasDelivery(db: Db, eventId: number, channelId: number): Promise<boolean> {
  return (await db.get(SQL`SELECT 1 AS x FROM deliveries WHERE event_id = ${eventId} AND channel_id = ${channelId}`)) !== undefined;
}
