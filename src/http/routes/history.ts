/**
 * History routes (all need a session):
 * - `GET /api/targets/:id/history?from&to&step&tz` (UTC epoch ms; step in whole seconds or `auto`,
 *   default auto; tz an IANA time zone name, default UTC, unknown → 400) → `{from, to, step, tz,
 *   buckets}`; buckets start where the zone's local clock shows a multiple of the step (day
 *   buckets at local midnight, hour buckets at local hours; in UTC, multiples of the step since the
 *   epoch) and each runs to the next one's start (23 or 25 hours for a day at a DST change, see
 *   domain/local-buckets.ts); the window widens to whole buckets; empty buckets have ratio null.
 *   More than 5,000 buckets → 400. Defaults: to = now, from = to − 1 h.
 *   With `format=columns` (issue 13): `{from, to, step, tz, t, attempts, successes, connectMin,
 *   connectAvg, connectMax, outcomes: {refused: […], …}}` instead of `buckets` (see
 *   domain/history-columns.ts; nulls mark gaps), and the limit is 100,000 buckets.
 * - `GET /api/targets/:id/results?from&to&before&limit` → `{results}` newest first
 *   (limit 1–1,000, default 100; `before` exclusive, for paging). With `format=columns`: every
 *   probe of a range of at most 24 h, oldest first, as streamed columns (see http/raw-mode.ts).
 * - `GET /api/sparklines?ids=1,2&minutes=60` → `{from, to, step: 60, series: {id: [ratio|null…]}}`:
 *   one success ratio per minute, `minutes` values oldest first, the last for the current minute.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { alignWindow, MAX_BUCKETS } from '../../domain/history-steps.js';
import { MAX_COLUMN_BUCKETS } from '../../domain/history-columns.js';
import { canonicalZone } from '../../domain/local-buckets.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { fillBuckets, historyBuckets, sparkRatios } from '../../store/history.js';
import { historyColumns } from '../../store/history-columns.js';
import { listResults } from '../../store/results.js';
import { getTarget } from '../../store/targets.js';
import { bucketWindow } from '../bucket-window.js';
import { rawColumnsResponse } from '../raw-mode.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { parseId, queryOf } from '../validate.js';
import { locationName } from '../../domain/location-rules.js';
import { doc } from '../openapi/markers.js';
import { History, Results, Sparklines } from '../openapi/shapes.js';

/** An optional query parameter holding a time in UTC epoch ms. */
export const epochMs = (label: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, { error: `${label} must be a time in UTC epoch milliseconds.` })
    .transform(Number)
    .optional();

/** An optional query parameter holding a whole number in [min, max]. */
const wholeParam = (label: string, min: number, max: number) => {
  const error = `${label} must be a whole number ${min}–${max}.`;
  return z
    .string()
    .regex(/^\d{1,9}$/, { error })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error })
    .optional();
};

/** `format`: `objects` (default, an array of objects) or `columns` (one array per series, issue 13). */
const formatParam = z.enum(['objects', 'columns'], { error: 'format must be "objects" or "columns".' }).optional();

/** Query of a history request: from, to (UTC epoch ms), step, tz, format, location (issue 10). */
export const historyQuery = z.object({
  location: locationName.optional(),
  from: epochMs('from'),
  to: epochMs('to'),
  step: z
    .string()
    .regex(/^(auto|[1-9]\d{0,6})$/, { error: 'step must be a whole number of seconds or "auto".' })
    .optional(),
  tz: z
    .string()
    .refine((s) => canonicalZone(s) !== null, { error: 'tz must be an IANA time zone name, such as Europe/London or America/New_York.' })
    .transform((s) => canonicalZone(s)!)
    .optional(),
  format: formatParam,
});

const resultsQuery = z.object({
  from: epochMs('from'),
  to: epochMs('to'),
  before: epochMs('before'),
  limit: wholeParam('limit', 1, 1000),
  format: formatParam,
  location: locationName.optional(),
});

const sparkQuery = z.object({
  ids: z.string().regex(/^\d{1,10}(,\d{1,10}){0,499}$/, { error: 'ids must be up to 500 comma-separated target ids.' }),
  minutes: wholeParam('minutes', 1, 1440),
});

/**
 * The [from, to) range of a query, UTC epoch ms: to defaults to now, from to to − 1 h.
 * @throws {ValidationError} when to is not after the epoch or from is not before to
 */
export function timeRange(deps: Pick<AppDeps, 'now'>, q: { from?: number | undefined; to?: number | undefined }) {
  const to = q.to ?? deps.now();
  const from = q.from ?? Math.max(0, to - 3_600_000);
  if (to <= 0) throw new ValidationError({ to: 'to must be after 1970-01-01 00:00 UTC.' });
  if (from >= to) throw new ValidationError({ from: 'from must be before to.' });
  return { from, to };
}

/** Builds the per-target history routes (mounted at /api/targets). */
export function historyRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const mustExist = async (raw: string) => {
    const id = parseId(raw);
    if (id === undefined || !(await getTarget(deps.db, id))) throw new NotFoundError('Target');
    return id;
  };

  app.get('/:id/history', doc({ summary: 'Success ratio, connect times and outcomes per bucket', tags: ['history'], ok: History, errors: [404] }), queryOf(historyQuery), async (c) => {
    const id = await mustExist(c.req.param('id'));
    const q = c.req.valid('query');
    const { from, to } = timeRange(deps, q);
    const columns = q.format === 'columns';
    const w = bucketWindow(from, to, q.step, q.tz, columns ? MAX_COLUMN_BUCKETS : MAX_BUCKETS);
    const head = { from: w.from, to: w.to, step: w.stepSeconds, tz: w.zone };
    if (columns) return c.json({ ...head, ...(await historyColumns(deps.db, id, w, undefined, q.location)) });
    return c.json({ ...head, buckets: fillBuckets(w, await historyBuckets(deps.db, id, w, undefined, q.location)) });
  });

  app.get(
    '/:id/results',
    doc({ summary: 'Probe results, newest first (format=columns: a range as streamed columns)', tags: ['history'], ok: Results, errors: [404] }),
    queryOf(resultsQuery),
    async (c) => {
      const id = await mustExist(c.req.param('id'));
      const q = c.req.valid('query');
      if (q.format === 'columns') return rawColumnsResponse(c, deps, id, q);
      const to = q.to ?? deps.now() + 1;
      const from = q.from ?? 0;
      const results = await listResults(deps.db, id, { from, to, before: q.before, limit: q.limit ?? 100, location: q.location });
      return c.json({ from, to, results });
    },
  );

  return app;
}

/** Builds `GET /sparklines` (mounted at /api). */
export function sparklineRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/sparklines', doc({ summary: 'Per-minute success ratios of many targets', tags: ['history'], ok: Sparklines }), queryOf(sparkQuery), async (c) => {
    const q = c.req.valid('query');
    const ids = [...new Set(q.ids.split(',').map(Number))];
    const minutes = q.minutes ?? 60;
    // exactly `minutes` buckets, the last one the current (partial) minute
    const end = alignWindow(deps.now(), deps.now() + 1, 60).to;
    const w = { from: end - minutes * 60_000, to: end, stepSeconds: 60, count: minutes };
    return c.json({ from: w.from, to: w.to, step: 60, series: await sparkRatios(deps.db, ids, w) });
  });
  return app;
}
