/**
 * Many-target chart routes (issue 13 §3–4), mounted at /api/charts, all needing a session:
 * - `GET /api/charts/compare?ids=1,2&from&to&step&tz` (up to 20 ids; times UTC epoch ms; step and
 *   tz as for history, at most 5,000 buckets) → `{from, to, step, tz, t: [bucket start…],
 *   targets: [{id, name, host, port, enabled, attempts, measured, successes, ratio, connectAvg}]}`,
 *   one array entry per bucket, null for a bucket without attempts (ratio: successes / measured,
 *   null when nothing was measured; connectAvg in ms). Targets in the order of `ids`. One batched
 *   query for all targets. Unknown ids → 400 naming them.
 * - `GET /api/charts/wall?range=1h|24h|7d` → `{from, to, step, count, targets: [{id, name, host,
 *   port, enabled}], attempts, measured, successes}`: cells of 1 min, 5 min or 1 h (UTC-aligned,
 *   the last one holding now), `count` per target; the three count arrays are target-major and
 *   flat (cell j of target k at k × count + j), null where a cell has no attempts. Every target
 *   (disabled ones too), ordered by name; one batched query per 100 targets (each statement stays well inside the store's statement timeout on MariaDB).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { alignWindow, MAX_BUCKETS } from '../../domain/history-steps.js';
import { ValidationError } from '../../errors.js';
import { multiBuckets, ratios } from '../../store/multi-history.js';
import { listTargets } from '../../store/targets.js';
import { bucketWindow } from '../bucket-window.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { requireUser } from '../session.js';
import { queryOf } from '../validate.js';
import { historyQuery, timeRange } from './history.js';

/** Most targets one compare request may hold (issue 13 §3). */
export const MAX_COMPARE = 20;

/** Wall ranges and their cell, s (issue 13 §4). */
export const WALL_RANGES = { '1h': { ms: 3_600_000, cell: 60 }, '24h': { ms: 86_400_000, cell: 300 }, '7d': { ms: 604_800_000, cell: 3600 } } as const;

/** Targets per batched wall statement: 1,000 in one statement ran past the MariaDB statement timeout (bench). */
const WALL_BATCH = 100;

const compareQuery = historyQuery.omit({ format: true }).extend({
  ids: z.string().regex(new RegExp(`^\\d{1,10}(,\\d{1,10}){0,${MAX_COMPARE - 1}}$`), { error: `ids must be 1–${MAX_COMPARE} comma-separated target ids.` }),
});

const wallQuery = z.object({
  range: z.enum(['1h', '24h', '7d'], { error: 'range must be 1h, 24h or 7d.' }).optional(),
});

const summary = (t: { id: number; name: string; host: string; port: number; enabled: boolean }) => ({ id: t.id, name: t.name, host: t.host, port: t.port, enabled: t.enabled });

/** Builds the compare and wall routes. */
export function chartRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', requireUser(deps));

  app.get('/compare', queryOf(compareQuery), async (c) => {
    const q = c.req.valid('query');
    const ids = [...new Set(q.ids.split(',').map(Number))];
    const { from, to } = timeRange(deps, q);
    const w = bucketWindow(from, to, q.step, q.tz, MAX_BUCKETS);
    const byId = new Map((await listTargets(deps.db)).map((t) => [t.id, t]));
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length) throw new ValidationError({ ids: `No target with id ${unknown.join(', ')}.` });
    const cells = await multiBuckets(deps.db, ids, w);
    const targets = ids.map((id) => {
      const cl = cells.get(id)!;
      return { ...summary(byId.get(id)!), ...cl, ratio: ratios(cl) };
    });
    return c.json({ from: w.from, to: w.to, step: w.stepSeconds, tz: w.zone, t: w.starts, targets });
  });

  app.get('/wall', queryOf(wallQuery), async (c) => {
    const range = WALL_RANGES[c.req.valid('query').range ?? '24h'];
    const now = deps.now();
    // whole cells, the last one holding now
    const to = alignWindow(now, now + 1, range.cell).to;
    const w = alignWindow(to - range.ms, to, range.cell);
    const targets = (await listTargets(deps.db)).map(summary);
    const n = targets.length * w.count;
    const attempts = new Array<number | null>(n).fill(null);
    const measured = new Array<number | null>(n).fill(null);
    const successes = new Array<number | null>(n).fill(null);
    for (let k0 = 0; k0 < targets.length; k0 += WALL_BATCH) {
      const batch = targets.slice(k0, k0 + WALL_BATCH);
      const cells = await multiBuckets(
        deps.db,
        batch.map((t) => t.id),
        w,
      );
      batch.forEach((t, dk) => {
        const cl = cells.get(t.id)!;
        const off = (k0 + dk) * w.count;
        for (let j = 0; j < w.count; j++) {
          attempts[off + j] = cl.attempts[j]!;
          measured[off + j] = cl.measured[j]!;
          successes[off + j] = cl.successes[j]!;
        }
      });
    }
    return c.json({ from: w.from, to: w.to, step: w.stepSeconds, count: w.count, targets, attempts, measured, successes });
  });
  return app;
}
