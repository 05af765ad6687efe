/**
 * Maintenance windows (issue 11): an admin silences notifications for one target or all, from a
 * start to an end time, once or repeating weekly. Changes inside a window are still recorded and
 * marked; outages that begin inside one are shown as maintenance and left out of uptime.
 * Browser-safe. Times are UTC epoch ms; a weekly window repeats every 7 × 24 h from its first
 * start (so across a DST change its local start time moves by the shift).
 */
import { z } from 'zod';

/** One week, ms. */
export const WEEK_MS = 7 * 86_400_000;

/** A maintenance window as the API returns it. */
export interface MaintenanceWindow {
  id: number;
  name: string;
  /** The target it silences; null = every target. */
  targetId: number | null;
  startsAt: number;
  endsAt: number;
  /** Repeats every week from `startsAt`. */
  weekly: boolean;
  createdAt: number;
  updatedAt: number;
}

const epoch = (label: string) =>
  z
    .number({ error: `${label} must be a time in UTC epoch ms.` })
    .int({ error: `${label} must be a whole number of ms.` })
    .min(0, { error: `${label} must be after 1970.` })
    .max(8.64e15, { error: `${label} is too far in the future.` });

/** A window as a client creates or replaces it. */
export const maintenanceInput = z
  .object({
    name: z.string({ error: 'Name is required.' }).trim().min(1, { error: 'Name is required.' }).max(100, { error: 'Name must be at most 100 characters.' }),
    targetId: z.number({ error: 'Target must be a target id or null (all targets).' }).int().positive().nullable(),
    startsAt: epoch('Start'),
    endsAt: epoch('End'),
    weekly: z.boolean({ error: 'Weekly must be true or false.' }).optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.endsAt <= w.startsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'End must be after the start.' });
    else if (w.weekly && w.endsAt - w.startsAt > WEEK_MS) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'A weekly window lasts at most 7 days.' });
  });

/** Parsed body of a window create or replace request. */
export type MaintenanceInput = z.infer<typeof maintenanceInput>;

/** The occurrences `[start, end)` of `w` that overlap `[from, to)`, in order. */
export function occurrences(w: Pick<MaintenanceWindow, 'startsAt' | 'endsAt' | 'weekly'>, from: number, to: number): [number, number][] {
  const len = w.endsAt - w.startsAt;
  if (!w.weekly) return w.startsAt < to && w.endsAt > from ? [[w.startsAt, w.endsAt]] : [];
  const out: [number, number][] = [];
  let k = Math.max(0, Math.floor((from - w.endsAt) / WEEK_MS));
  for (let s = w.startsAt + k * WEEK_MS; s < to; s = w.startsAt + ++k * WEEK_MS) if (s + len > from) out.push([s, s + len]);
  return out;
}

/** Whether time `t` is inside a window that applies to `targetId`. */
export function inMaintenance(windows: readonly MaintenanceWindow[], targetId: number, t: number): boolean {
  return windows.some((w) => (w.targetId === null || w.targetId === targetId) && occurrences(w, t, t + 1).length > 0);
}

/** The merged maintenance intervals `[start, end)` for `targetId` within `[from, to)`. */
export function maintenanceIntervals(windows: readonly MaintenanceWindow[], targetId: number, from: number, to: number): [number, number][] {
  const all = windows
    .filter((w) => w.targetId === null || w.targetId === targetId)
    .flatMap((w) => occurrences(w, from, to))
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of all) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
