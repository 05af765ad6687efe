/**
 * The nodes API (issue 10), mounted at /api:
 * - `GET /nodes` (any user): `{ store, single, self, now, nodes }`: `store` `mysql`|`sqlite`;
 *   `single` true on SQLite (one node only, said in the UI); `self` this node's name and location;
 *   `now` the database clock, UTC epoch ms; `nodes` every row ({@link NodeRow}) with `up` (heartbeat
 *   within 10 s and not stopped) and `heartbeatAgeMs`.
 * - `DELETE /nodes/:name` (admin): removes a down node's row → 204; 404 unknown name; 409 when the
 *   node is up (its next heartbeat would only bring the row back).
 */
import { Hono } from 'hono';
import { isUp } from '../../domain/nodes.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { deleteNode, listNodes } from '../../store/nodes.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { requireAdmin } from '../session.js';
import { doc } from '../openapi/markers.js';
import { Nodes } from '../openapi/shapes.js';

/** Builds the nodes routes (mount at /api, behind requireUser). */
export function nodeRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/nodes', doc({ summary: 'Probe nodes and their heartbeats', tags: ['nodes'], ok: Nodes }), async (c) => {
    const { now, nodes } = await listNodes(deps.db);
    return c.json({
      store: deps.db.dialect,
      single: deps.db.dialect === 'sqlite',
      self: deps.node ? { name: deps.node.name, location: deps.node.location } : null,
      now,
      nodes: nodes.map((n) => ({ ...n, up: isUp(n, now), heartbeatAgeMs: Math.max(0, now - n.heartbeatAt) })),
    });
  });
  app.delete('/nodes/:name', doc({ summary: "Remove a down node's row (admins)", tags: ['nodes'], status: 204, errors: [404, 409] }), requireAdmin(), async (c) => {
    const outcome = await deleteNode(deps.db, c.req.param('name'));
    if (outcome === 'unknown') throw new NotFoundError('Node');
    if (outcome === 'live') throw new ConflictError('That node is up; stop it first (a node is down 10 s after its last heartbeat).');
    return c.body(null, 204);
  });
  return app;
}
