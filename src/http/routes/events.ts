/**
 * State-change routes (issue 11; need a session, viewers included):
 * - `GET /api/events?targetId&from&to&limit` → `{from, to, events: StateEvent[]}`: changes with
 *   `at` in [from, to], newest first (limit 1–1,000, default 200). Defaults: to = now, from = to − 7 days.
 * - `GET /api/outages?targetId&from&to` → `{from, to, outages: Outage[]}`: outages overlapping
 *   [from, to], oldest first; `end` null while open (duration then runs to now).
 * Times are UTC epoch ms. 400 with per-field messages for bad parameters; an unknown targetId
 * gives empty lists.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { listEvents, listOutages } from '../../store/events.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { queryOf } from '../validate.js';
import { epochMs } from './history.js';
import { doc } from '../openapi/markers.js';
import { Outage, StateEvent } from '../openapi/shapes.js';

const WEEK_MS = 7 * 86_400_000;

const targetId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, { error: 'targetId must be a target id (a whole number from 1).' })
  .transform(Number)
  .optional();

const rangeQuery = z.object({ targetId, from: epochMs('from'), to: epochMs('to') });
const eventsQuery = rangeQuery.extend({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, { error: 'limit must be a whole number 1–1000.' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, { error: 'limit must be a whole number 1–1000.' })
    .optional(),
});

/** [from, to] of a query: to defaults to now, from to to − 7 days. @throws {ValidationError} when from > to */
function range(deps: Pick<AppDeps, 'now'>, q: { from?: number | undefined; to?: number | undefined }) {
  const to = q.to ?? deps.now();
  const from = q.from ?? Math.max(0, to - WEEK_MS);
  if (from > to) throw new ValidationError({ from: 'from must not be after to.' });
  return { from, to };
}

/** Builds `/events` and `/outages` (mounted at /api). */
export function eventRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get(
    '/events',
    doc({ summary: 'State changes, newest first', tags: ['events'], ok: z.object({ from: z.number(), to: z.number(), events: z.array(StateEvent) }) }),
    queryOf(eventsQuery),
    async (c) => {
      const q = c.req.valid('query');
      const { from, to } = range(deps, q);
      return c.json({ from, to, events: await listEvents(deps.db, { targetId: q.targetId, from, to, limit: q.limit ?? 200 }) });
    },
  );
  app.get(
    '/outages',
    doc({ summary: 'Outages overlapping a range, oldest first', tags: ['events'], ok: z.object({ from: z.number(), to: z.number(), outages: z.array(Outage) }) }),
    queryOf(rangeQuery),
    async (c) => {
      const q = c.req.valid('query');
      const { from, to } = range(deps, q);
      return c.json({ from, to, outages: await listOutages(deps.db, { targetId: q.targetId, from, to }, deps.now()) });
    },
  );
  return app;
}
