/** The `maintenance_windows` table (issue 11). Every function takes the {@link Db} first; times UTC epoch ms. */
import { SQL } from 'sql-template-strings';
import type { MaintenanceInput, MaintenanceWindow } from '../domain/maintenance.js';
import type { Db } from './db.js';

interface Row {
  id: number;
  name: string;
  target_id: number | null;
  starts_at: number;
  ends_at: number;
  weekly: number;
  created_at: number;
  updated_at: number;
}

function toWindow(r: Row): MaintenanceWindow {
  return {
    id: Number(r.id),
    name: r.name,
    targetId: r.target_id == null ? null : Number(r.target_id),
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    weekly: Boolean(Number(r.weekly)),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** Every window, by start. */
export async function listWindows(db: Db): Promise<MaintenanceWindow[]> {
  return (await db.all<Row>(SQL`SELECT * FROM maintenance_windows ORDER BY starts_at, id`)).map(toWindow);
}

/** One window, or undefined. */
export async function getWindow(db: Db, id: number): Promise<MaintenanceWindow | undefined> {
  const r = await db.get<Row>(SQL`SELECT * FROM maintenance_windows WHERE id = ${id}`);
  return r && toWindow(r);
}

/** Stores a validated window. */
export async function createWindow(db: Db, w: MaintenanceInput, now: number): Promise<MaintenanceWindow> {
  const r = await db.run(SQL`INSERT INTO maintenance_windows (name, target_id, starts_at, ends_at, weekly, created_at, updated_at)
    VALUES (${w.name}, ${w.targetId}, ${w.startsAt}, ${w.endsAt}, ${w.weekly ? 1 : 0}, ${now}, ${now})`);
  return (await getWindow(db, r.lastId))!;
}

/** Replaces a window. @returns undefined when the id is unknown */
export async function updateWindow(db: Db, id: number, w: MaintenanceInput, now: number): Promise<MaintenanceWindow | undefined> {
  await db.run(SQL`UPDATE maintenance_windows SET name = ${w.name}, target_id = ${w.targetId}, starts_at = ${w.startsAt},
    ends_at = ${w.endsAt}, weekly = ${w.weekly ? 1 : 0}, updated_at = ${now} WHERE id = ${id}`);
  return getWindow(db, id);
}

/** Deletes a window. @returns false when the id is unknown */
export async function deleteWindow(db: Db, id: number): Promise<boolean> {
  return (await db.run(SQL`DELETE FROM maintenance_windows WHERE id = ${id}`)).changes > 0;
}
