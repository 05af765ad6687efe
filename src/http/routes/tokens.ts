/**
 * Personal API token routes (issue 14 §1), for any logged-in user (admin or viewer: a token acts
 * with its owner's role, so a viewer's token can only read). Mounted before the viewer write block.
 * - `GET /api/tokens` → `{tokens: [{id, name, createdAt, expiresAt, lastUsedAt, lastUsedFrom}]}` (own tokens; times UTC epoch ms);
 *   `?all=true` (admins; 403 for a viewer) → every user's tokens, each with `userId` and `username`, so a leaked one can be revoked;
 * - `POST /api/tokens` `{name, expiresAt?}` → 201 `{…token fields, token}`: the token itself, shown
 *   this once (only its SHA-256 is stored); 400 per field;
 * - `DELETE /api/tokens/:id` → 204; the token stops working on the next request; 404 when not yours
 *   (an admin may revoke any user's token).
 */
import { Hono } from 'hono';
import { newToken, tokenHash } from '../../auth/api-token.js';
import { recordAudit } from '../../audit/record.js';
import { tokenCreate } from '../../domain/token-rules.js';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { createApiToken, deleteApiToken, getApiToken, listAllApiTokens, listApiTokens, type ApiToken } from '../../store/api-tokens.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { jsonBody, parseId, queryOf } from '../validate.js';
import { doc } from '../openapi/markers.js';
import { Token } from '../openapi/shapes.js';

/** Builds the token routes (mounted at /api/tokens, after requireUser). */
export function tokenRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const view = ({ userId: _u, ...t }: ApiToken) => t;

  app.get(
    '/',
    doc({ summary: "List your API tokens (all=true: every user's, admins)", tags: ['tokens'], ok: z.object({ tokens: z.array(Token) }) }),
    queryOf(z.object({ all: z.enum(['true', 'false'], { error: 'all must be true or false.' }).optional() })),
    async (c) => {
      if (c.req.valid('query').all !== 'true') return c.json({ tokens: (await listApiTokens(deps.db, c.get('user').userId)).map(view) });
      if (c.get('user').role !== 'admin') throw new ForbiddenError("Only admins see every user's tokens.");
      return c.json({ tokens: await listAllApiTokens(deps.db) });
    },
  );

  app.post('/', doc({ summary: 'Create an API token (shown this once)', tags: ['tokens'], ok: Token.extend({ token: z.string() }), status: 201 }), jsonBody(tokenCreate(deps.now)), async (c) => {
    const body = c.req.valid('json');
    const token = newToken();
    const row = await deps.db.tx(async (db) => {
      const row = await createApiToken(db, c.get('user').userId, body.name, tokenHash(token), deps.now(), body.expiresAt);
      await recordAudit(c, deps, { action: 'create', entity: 'token', entityId: row.id, after: { name: row.name, expiresAt: row.expiresAt }, db });
      return row;
    });
    return c.json({ ...view(row), token }, 201);
  });

  app.delete('/:id', doc({ summary: 'Revoke an API token', tags: ['tokens'], status: 204, errors: [404] }), async (c) => {
    const id = parseId(c.req.param('id'));
    const me = c.get('user');
    if (id === undefined) throw new NotFoundError('Token');
    await deps.db.tx(async (db) => {
      const row = await getApiToken(db, me.role === 'admin' ? null : me.userId, id);
      if (!row || !(await deleteApiToken(db, row.id))) throw new NotFoundError('Token');
      await recordAudit(c, deps, { action: 'delete', entity: 'token', entityId: row.id, before: { name: row.name, userId: row.userId, expiresAt: row.expiresAt }, db });
    });
    return c.body(null, 204);
  });

  return app;
}
