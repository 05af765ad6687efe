/**
 * Audit routes (issue 14 §4). Entries: `{id, at, actor, actorUserId, tokenName, client, action,
 * entity, entityId, targetId, changes}`; `at` UTC epoch ms; `changes` maps a field to
 * `{before, after}` (secrets masked) or holds an import's counts.
 * - `GET /api/audit?from&to&actor&targetId&before&limit` (admins only: it names users and failed
 *   logins) → `{entries, next}` newest first; `from`/`to` UTC epoch ms (to exclusive); `limit`
 *   1–500 (default 100); pass `next` as `before` for the next page (null: no more); 400 per field.
 * - `GET /api/targets/:id/changes?before&limit` (any role) → the same shape for one target: its
 *   "History of changes" panel.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { queryAudit } from '../../store/audit.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { parseId, queryOf } from '../validate.js';
import { NotFoundError } from '../../errors.js';
import { doc } from '../openapi/markers.js';
import { AuditPage } from '../openapi/shapes.js';

const int = (name: string) =>
  z
    .string()
    .regex(/^\d{1,16}$/, { error: `${name} must be a whole number.` })
    .transform(Number)
    .optional();
const page = {
  before: int('before'),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { error: 'limit must be 1–500.' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 500, { error: 'limit must be 1–500.' })
    .default(100),
};
/** Query of GET /api/audit. */
export const auditQuery = z
  .object({ from: int('from'), to: int('to'), actor: z.string().min(1).max(200).optional(), targetId: int('targetId'), ...page })
  .refine((q) => typeof q.from !== 'number' || typeof q.to !== 'number' || q.from < q.to, { error: 'from must be before to.', path: ['to'] });

/** Builds GET /audit (mount at /api after requireUser + requireAdmin). */
export function auditRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', doc({ summary: 'Audit log, newest first (admins)', tags: ['audit'], ok: AuditPage }), queryOf(auditQuery), async (c) => c.json(await queryAudit(deps.db, c.req.valid('query'))));
  return app;
}

/** Builds GET /targets/:id/changes (mount at /api/targets after requireUser). */
export function targetChangeRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/:id/changes', doc({ summary: "A target's history of changes", tags: ['audit'], ok: AuditPage, errors: [404] }), queryOf(z.object(page)), async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === undefined) throw new NotFoundError('Target');
    return c.json(await queryAudit(deps.db, { ...c.req.valid('query'), targetId: id }));
  });
  return app;
}
