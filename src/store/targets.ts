/** The `targets` table. Every function takes the {@link Db} first. */
import { contains } from './like.js';
import { SQL } from 'sql-template-strings';
import { DEFAULT_FAILURE_THRESHOLD, DEFAULT_RECOVERY_THRESHOLD, defaultTimeoutMs, type RetentionUnit, type TargetInput } from '../domain/target-rules.js';
import type { Target } from '../domain/types.js';
import type { AddressFamily, AddressPolicy, CloseMode } from '../domain/wire-rules.js';
import type { Db } from './db.js';
import { joinLocations, splitLocations } from '../domain/location-rules.js';

/** A `targets` row as stored. */
export interface TargetRow {
  id: number;
  name: string;
  host: string;
  port: number;
  interval_s: number;
  timeout_ms: number | null;
  retention_value: number;
  retention_unit: string;
  enabled: number;
  source_address: string | null;
  source_port_min: number | null;
  source_port_max: number | null;
  close_mode: string;
  address_family: string;
  address_policy: string;
  failure_threshold: number;
  recovery_threshold: number;
  locations: string;
  created_at: number;
  updated_at: number;
}

/** Converts a stored row into the API/actor shape. */
export function toTarget(r: TargetRow): Target {
  const intervalSeconds = Number(r.interval_s);
  const timeoutMs = r.timeout_ms == null ? null : Number(r.timeout_ms);
  return {
    id: Number(r.id),
    name: r.name,
    host: r.host,
    port: Number(r.port),
    intervalSeconds,
    timeoutMs,
    effectiveTimeoutMs: timeoutMs ?? defaultTimeoutMs(intervalSeconds),
    retentionValue: Number(r.retention_value),
    retentionUnit: r.retention_unit as RetentionUnit,
    enabled: Boolean(Number(r.enabled)),
    sourceAddress: r.source_address,
    sourcePortMin: r.source_port_min == null ? null : Number(r.source_port_min),
    sourcePortMax: r.source_port_max == null ? null : Number(r.source_port_max),
    closeMode: r.close_mode as CloseMode,
    addressFamily: r.address_family as AddressFamily,
    addressPolicy: r.address_policy as AddressPolicy,
    failureThreshold: Number(r.failure_threshold),
    recoveryThreshold: Number(r.recovery_threshold),
    locations: splitLocations(r.locations),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** Filters for {@link listTargets}. `q` matches name or host (substring, case-insensitive) or the exact port. */
export interface TargetFilter {
  q?: string | undefined;
  enabled?: boolean | undefined;
}

/** Lists targets ordered by name then id. */
export async function listTargets(db: Db, filter: TargetFilter = {}): Promise<Target[]> {
  const q = SQL`SELECT * FROM targets WHERE 1 = 1`;
  if (filter.enabled !== undefined) q.append(SQL` AND enabled = ${filter.enabled ? 1 : 0}`);
  const term = filter.q?.trim();
  if (term) {
    const port = /^\d{1,5}$/.test(term) ? Number(term) : -1;
    q.append(SQL` AND (`)
      .append(contains(db.dialect, 'name', term))
      .append(' OR ')
      .append(contains(db.dialect, 'host', term))
      .append(SQL` OR port = ${port})`);
  }
  q.append(SQL` ORDER BY name, id`);
  return (await db.all<TargetRow>(q)).map(toTarget);
}

/**
 * A cheap version of the target list: `<count>:<largest updated_at>:<largest id>`. Any create,
 * edit or delete changes it (an edit sets updated_at to now; ids are never reused), so the live
 * dashboard re-reads the whole list only when it changed.
 */
export async function targetsVersion(db: Db): Promise<string> {
  const r = await db.get<{ n: number; u: number | null; m: number | null }>(SQL`SELECT COUNT(*) AS n, MAX(updated_at) AS u, MAX(id) AS m FROM targets`);
  return `${Number(r?.n ?? 0)}:${Number(r?.u ?? 0)}:${Number(r?.m ?? 0)}`;
}

/** Returns the enabled targets (the supervisor's desired state). */
export async function listEnabledTargets(db: Db): Promise<Target[]> {
  return listTargets(db, { enabled: true });
}

/** Returns one target, or undefined when the id is unknown. */
export async function getTarget(db: Db, id: number): Promise<Target | undefined> {
  const row = await db.get<TargetRow>(SQL`SELECT * FROM targets WHERE id = ${id}`);
  return row && toTarget(row);
}

/**
 * Inserts a validated target. `enabled` defaults to true.
 * @param now creation time, UTC epoch ms
 */
export async function createTarget(db: Db, t: TargetInput, now: number): Promise<Target> {
  const r = await db.run(SQL`INSERT INTO targets
    (name, host, port, interval_s, timeout_ms, retention_value, retention_unit, enabled, failure_threshold, recovery_threshold,
     source_address, source_port_min, source_port_max, close_mode, address_family, address_policy, locations, created_at, updated_at)
    VALUES (${t.name}, ${t.host}, ${t.port}, ${t.intervalSeconds}, ${t.timeoutMs ?? null}, ${t.retentionValue},
            ${t.retentionUnit}, ${t.enabled === false ? 0 : 1}, ${t.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD},
            ${t.recoveryThreshold ?? DEFAULT_RECOVERY_THRESHOLD}, ${t.sourceAddress ?? null}, ${t.sourcePortMin ?? null},
            ${t.sourcePortMax ?? null}, ${t.closeMode ?? 'fin'}, ${t.addressFamily ?? 'any'}, ${t.addressPolicy ?? 'fallback'}, ${joinLocations(t.locations)}, ${now}, ${now})`);
  return (await getTarget(db, r.lastId))!;
}

/**
 * Replaces a target's fields with a validated input.
 * @returns the updated target, or undefined when the id is unknown
 */
export async function updateTarget(db: Db, id: number, t: TargetInput, now: number): Promise<Target | undefined> {
  await db.run(SQL`UPDATE targets SET name = ${t.name}, host = ${t.host}, port = ${t.port},
    interval_s = ${t.intervalSeconds}, timeout_ms = ${t.timeoutMs ?? null}, retention_value = ${t.retentionValue},
    retention_unit = ${t.retentionUnit}, enabled = ${t.enabled === false ? 0 : 1},
    failure_threshold = ${t.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD}, recovery_threshold = ${t.recoveryThreshold ?? DEFAULT_RECOVERY_THRESHOLD},
    source_address = ${t.sourceAddress ?? null},
    source_port_min = ${t.sourcePortMin ?? null}, source_port_max = ${t.sourcePortMax ?? null}, close_mode = ${t.closeMode ?? 'fin'},
    address_family = ${t.addressFamily ?? 'any'}, address_policy = ${t.addressPolicy ?? 'fallback'},
    locations = ${joinLocations(t.locations)}, updated_at = ${now}
    WHERE id = ${id}`);
  return getTarget(db, id);
}

/**
 * Deletes a target. Its results are removed afterwards by the purge actor, in chunks.
 * @returns false when the id is unknown
 */
export async function deleteTarget(db: Db, id: number): Promise<boolean> {
  return (await db.run(SQL`DELETE FROM targets WHERE id = ${id}`)).changes > 0;
}

/** Number of enabled targets (the metrics scrape's `netwatch_targets_enabled`). */
export async function countEnabledTargets(db: Db): Promise<number> {
  const row = await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM targets WHERE enabled = ${1}`);
  return Number(row?.n ?? 0);
}
