/**
 * Builds the Hono app: the JSON API under /api (routes/*), and the built UI (dist/ui) at / with a
 * fallback to index.html for the UI's own paths. The process is started elsewhere (src/main.ts);
 * tests build the app in-process with their own dependencies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { bodyLimit } from 'hono/body-limit';
import { NotFoundError, PayloadTooLargeError } from '../errors.js';
import { projectRoot } from '../paths.js';
import { accessLog } from './access-log.js';
import type { AppDeps, AppEnv } from './deps.js';
import { errorHandler } from './error-handler.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes, sparklineRoutes } from './routes/history.js';
import { nodeRoutes } from './routes/nodes.js';
import { targetRoutes } from './routes/targets.js';
import { userRoutes } from './routes/users.js';
import { wireRoutes } from './routes/wire.js';
import { requireAdmin, requireUser, viewersReadOnly } from './session.js';

/** Largest request body the API reads, bytes (64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Builds the app. @param uiDir folder of the built UI; omitted → `<root>/dist/ui` when it exists */
export function buildApp(deps: AppDeps, uiDir = join(projectRoot(), 'dist', 'ui')): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(errorHandler(deps.log));
  app.use('/api/*', accessLog(deps.log, deps.config.trustProxy));
  // Request bodies are small JSON objects; anything larger is refused before it is read whole.
  app.use('/api/*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw new PayloadTooLargeError(MAX_BODY_BYTES); } }));

  const api = new Hono<AppEnv>();
  api.route('/', healthRoutes(deps));
  api.route('/', authRoutes(deps));
  api.use('/targets/*', requireUser(deps));
  api.use('/targets', requireUser(deps));
  api.use('/users/*', requireUser(deps));
  api.use('/users', requireUser(deps));
  api.use('/sparklines', requireUser(deps));
  api.use('/nodes', requireUser(deps));
  api.use('/nodes/*', requireUser(deps));
  // Roles (issue 8): viewers read targets, history, probe logs and the wire view; users are admins' only.
  api.use('/users/*', requireAdmin());
  api.use('/users', requireAdmin());
  api.use('*', viewersReadOnly());
  api.route('/targets', targetRoutes(deps));
  api.route('/targets', historyRoutes(deps));
  api.route('/targets', wireRoutes(deps));
  api.route('/users', userRoutes(deps));
  api.route('/', sparklineRoutes(deps));
  api.route('/', nodeRoutes(deps));
  api.all('*', () => {
    throw new NotFoundError('API route');
  });
  app.route('/api', api);

  const index = join(uiDir, 'index.html');
  if (existsSync(index)) {
    const html = readFileSync(index, 'utf8');
    app.use('/*', serveStatic({ root: uiDir }));
    app.get('/assets/*', () => {
      throw new NotFoundError('File');
    });
    app.get('*', (c) => c.html(html));
  }
  return app;
}
