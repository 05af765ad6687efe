/**
 * Many-target chart routes (issue 13 §3–4), mounted at /api/charts, all needing a session:
 * - `GET /api/charts/compare?ids=1,2&from&to&step&tz&location` (up to 20 ids; times UTC epoch ms; step and
 *   tz as for history, at most 5,000 buckets) → `{from, to, step, tz, t: [bucket start…],
 *   targets: [{id, name, host, port, enabled, attempts, measured, successes, ratio, connectAvg}]}`,
 *   one array entry per bucket, null for a bucket without attempts (ratio: successes / measured,
 *   null when nothing was measured; connectAvg in ms). Targets in the order of `ids`. One batched
 *   query for all targets. Unknown ids → 400 naming them. `location` (issue 10): only
 *   the probes made from that location (read from raw rows, as a single target's history does).
 * - `GET /api/charts/wall?range=1h|24h|7d&tz&location` → `{from, to, step, tz, count, t: [cell start…],
 *   targets: [{id, name, host, port, enabled}], attempts, measured, successes}`: cells of 1 min,
 *   5 min or 1 h on the local clock of `tz` (IANA name, default UTC, unknown → 400; 1 h cells in
 *   Asia/Kolkata start at :30 UTC), the last one holding now; `count` per target, `t` their starts
 *   (UTC epoch ms); the three count arrays are target-major and flat (cell j of target k at
 *   k × count + j), null where a cell has no attempts. Every target (disabled ones too), ordered
 *   by name; one batched query per 100 targets (each statement stays well inside the store's
 *   statement timeout on MariaDB); the 24 h cells are results_5m rows as stored (store/wall-cells.ts).
 *   `location` (issue 10): only that location's probes, read from raw rows, so only with
 *   `range=1h` (a day of raw rows per 100 targets would outlast the statement timeout); other
 *   ranges with a location → 400.
 *   `offset` and `limit` (whole numbers) answer only the targets [offset, offset + limit) of that
 *   order, with `total` (all targets) and `offset`: the UI paints the rows in view from a small
 *   first request, then reads the rest (first paint, issue 13 §4).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_BUCKETS } from '../../domain/history-steps.js';
import { localWindow } from '../../domain/local-buckets.js';
import { ValidationError } from '../../errors.js';
import { multiBuckets, ratios } from '../../store/multi-history.js';
import { listTargets } from '../../store/targets.js';
import { wallCells } from '../../store/wall-cells.js';
import { wallCellsAt } from '../../store/wall-location.js';
import { bucketWindow } from '../bucket-window.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { requireUser } from '../session.js';
import { queryOf } from '../validate.js';
import { historyQuery, timeRange } from './history.js';
import { locationName } from '../../domain/location-rules.js';
import { doc } from '../openapi/markers.js';
import { Compare, Wall } from '../openapi/shapes.js';

/** Most targets one compare request may hold (issue 13 §3). */
export const MAX_COMPARE = 20;

/** Wall ranges and their cell, s (issue 13 §4). */
export const WALL_RANGES = { '1h': { ms: 3_600_000, cell: 60 }, '24h': { ms: 86_400_000, cell: 300 }, '7d': { ms: 604_800_000, cell: 3600 } } as const;

/** Targets per batched wall statement: 1,000 in one statement ran past the MariaDB statement timeout (bench). */
const WALL_BATCH = 100;

const compareQuery = historyQuery.omit({ format: true }).extend({
  ids: z.string().regex(new RegExp(`^\\d{1,10}(,\\d{1,10}){0,${MAX_COMPARE - 1}}$`), { error: `ids must be 1–${MAX_COMPARE} comma-separated target ids.` }),
});

/** An optional whole-number query parameter in [min, max]. */
const whole = (label: string, min: number, max: number) => {
  const error = `${label} must be a whole number ${min}–${max.toLocaleString('en-US')}.`;
  return z
    .string()
    .regex(/^\d{1,9}$/, { error })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error })
    .optional();
};

const wallQuery = z.object({
  range: z.enum(['1h', '24h', '7d'], { error: 'range must be 1h, 24h or 7d.' }).optional(),
  tz: historyQuery.shape.tz,
  location: locationName.optional(),
  offset: whole('offset', 0, 1_000_000),
  limit: whole('limit', 1, 1_000_000),
});

const summary = (t: { id: number; name: string; host: string; port: number; enabled: boolean }) => ({ id: t.id, name: t.name, host: t.host, port: t.port, enabled: t.enabled });

/** Builds the compare and wall routes. */
export function chartRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(deps));

  app.get('/compare', doc({ summary: 'Several targets on one time axis', tags: ['charts'], ok: Compare }), queryOf(compareQuery), async (c) => {
    const q = c.req.valid('query');
    const ids = [...new Set(q.ids.split(',').map(Number))];
    const { from, to } = timeRange(deps, q);
    const w = bucketWindow(from, to, q.step, q.tz, MAX_BUCKETS);
    const byId = new Map((await listTargets(deps.db)).map((t) => [t.id, t]));
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length) throw new ValidationError({ ids: `No target with id ${unknown.join(', ')}.` });
    const cells = await multiBuckets(deps.db, ids, w, q.location);
    const targets = ids.map((id) => {
      const cl = cells.get(id)!;
      return { ...summary(byId.get(id)!), ...cl, ratio: ratios(cl) };
    });
    return c.json({ from: w.from, to: w.to, step: w.stepSeconds, tz: w.zone, t: w.starts, targets });
  });

  app.get('/wall', doc({ summary: 'Every target as a row of cells', tags: ['charts'], ok: Wall }), queryOf(wallQuery), async (c) => {
    const q = c.req.valid('query');
    if (q.location !== undefined && q.range !== '1h') {
      throw new ValidationError({ range: 'With a location the wall covers 1 hour (range=1h): per-location counts are read from raw results.' });
    }
    const range = WALL_RANGES[q.range ?? '24h'];
    const zone = q.tz ?? 'UTC';
    const now = deps.now();
    // whole local cells, the last one holding now
    const to = localWindow(now, now + 1, range.cell, zone).to;
    const w = localWindow(to - range.ms, to, range.cell, zone);
    const all = await listTargets(deps.db);
    const offset = q.offset ?? 0;
    const targets = all.slice(offset, q.limit === undefined ? undefined : offset + q.limit).map(summary);
    const ids = targets.map((t) => t.id);
    const cells = q.location === undefined ? await wallCells(deps.db, ids, w, WALL_BATCH) : await wallCellsAt(deps.db, ids, w, q.location, WALL_BATCH);
    return c.json({ from: w.from, to: w.to, step: w.stepSeconds, tz: w.zone, count: w.count, t: w.starts, total: all.length, offset, targets, ...cells });
  });
  return app;
}
