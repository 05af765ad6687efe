/**
 * Maintenance window routes (issue 11; reading needs a session, writing an admin):
 * - `GET /api/maintenance` → `{windows: MaintenanceWindow[]}`;
 * - `POST /api/maintenance` (`{name, targetId|null, startsAt, endsAt, weekly?}`, UTC epoch ms) → 201;
 * - `PUT /api/maintenance/:id` (the same, replacing) → the window; `DELETE /api/maintenance/:id` → 204.
 * A window takes effect at the next change (the state actor reloads windows on each reconcile).
 * 400 with per-field messages (end after start; weekly ≤ 7 days; unknown targetId), 404 for an unknown id.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { maintenanceInput, type MaintenanceInput } from '../../domain/maintenance.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { createWindow, deleteWindow, listWindows, updateWindow } from '../../store/maintenance.js';
import { getTarget } from '../../store/targets.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { jsonBody, parseId } from '../validate.js';
import { doc } from '../openapi/markers.js';
import { MaintenanceWindow } from '../openapi/shapes.js';

/** Builds `/maintenance` (mounted at /api). */
export function maintenanceRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const checkTarget = async (w: MaintenanceInput) => {
    if (w.targetId !== null && !(await getTarget(deps.db, w.targetId))) throw new ValidationError({ targetId: 'No such target.' });
  };
  const applied = async () => deps.actors?.reconcile();
  app.get('/', doc({ summary: 'List maintenance windows', tags: ['maintenance'], ok: z.object({ windows: z.array(MaintenanceWindow) }) }), async (c) =>
    c.json({ windows: await listWindows(deps.db) }),
  );
  app.post('/', doc({ summary: 'Create a maintenance window', tags: ['maintenance'], ok: MaintenanceWindow, status: 201 }), jsonBody(maintenanceInput), async (c) => {
    const w = c.req.valid('json');
    await checkTarget(w);
    const saved = await createWindow(deps.db, w, deps.now());
    await applied();
    return c.json(saved, 201);
  });
  app.put('/:id', doc({ summary: 'Replace a maintenance window', tags: ['maintenance'], ok: MaintenanceWindow, errors: [404] }), jsonBody(maintenanceInput), async (c) => {
    const id = parseId(c.req.param('id'));
    const w = c.req.valid('json');
    await checkTarget(w);
    const saved = id === undefined ? undefined : await updateWindow(deps.db, id, w, deps.now());
    if (!saved) throw new NotFoundError('Maintenance window');
    await applied();
    return c.json(saved);
  });
  app.delete('/:id', doc({ summary: 'Delete a maintenance window', tags: ['maintenance'], status: 204, errors: [404] }), async (c) => {
    const id = parseId(c.req.param('id'));
    if (id === undefined || !(await deleteWindow(deps.db, id))) throw new NotFoundError('Maintenance window');
    await applied();
    return c.body(null, 204);
  });
  return app;
}
