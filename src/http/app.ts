/**
 * Builds the Hono app: the JSON API under /api (routes/*), and the built UI (dist/ui) at / with a
 * fallback to index.html for the UI's own paths. Every response carries the security headers and
 * every API write must come from NetWatch's own origin (security.ts). The process is started elsewhere (src/main.ts);
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
import { compressJson } from './compression.js';
import { headWithoutBody } from './head.js';
import { errorHandler } from './error-handler.js';
import { bearerAuth } from './bearer.js';
import { auditRoutes, targetChangeRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { eventRoutes } from './routes/events.js';
import { liveRoutes } from './routes/live.js';
import { LiveService } from '../live/service.js';
import { maintenanceRoutes } from './routes/maintenance.js';
import { channelRoutes, deliveryRoutes, targetChannelRoutes } from './routes/channels.js';
import { configRoutes } from './routes/config.js';
import { chartRoutes } from './routes/charts.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { historyRoutes, sparklineRoutes } from './routes/history.js';
import { nodeRoutes } from './routes/nodes.js';
import { openApiRoutes } from './openapi/routes.js';
import { targetRoutes } from './routes/targets.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes } from './routes/users.js';
import { wireRoutes } from './routes/wire.js';
import { securityHeaders, sameOriginWrites } from './security.js';
import { requireAdmin, requireUser, viewersReadOnly } from './session.js';

/** Largest request body the API reads, bytes (64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Builds the app. @param uiDir folder of the built UI; omitted → `<root>/dist/ui` when it exists */
export function buildApp(deps: AppDeps, uiDir = join(projectRoot(), 'dist', 'ui')): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(errorHandler(deps.log, () => deps.metrics?.dbError('api')));
  app.use('*', headWithoutBody());
  app.use('*', securityHeaders());
  app.use('/api/*', accessLog(deps.log, deps.config.trustProxy));
  app.use('/api/*', sameOriginWrites(deps.config.trustProxy));
  app.use('/api/*', compressJson());
  // Request bodies are small JSON objects; anything larger is refused before it is read whole.
  // A configuration file (POST /api/config) has a larger limit of its own (routes/config.ts).
  const small = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new PayloadTooLargeError(MAX_BODY_BYTES);
    },
  });
  app.use('/api/*', (c, next) => (c.req.path.endsWith('/api/config') ? next() : small(c, next)));

  const api = new Hono<AppEnv>();
  api.use('*', async (c, next) => {
    c.set('db', deps.db); // for the shared query validator's location check (validate.ts)
    await next();
  });
  api.use('*', bearerAuth(deps)); // API tokens (issue 14): sets the user before any route's check
  api.route('/', healthRoutes(deps));
  api.route('/', authRoutes(deps));
  api.use('/targets/*', requireUser(deps));
  api.use('/targets', requireUser(deps));
  api.use('/users/*', requireUser(deps));
  api.use('/users', requireUser(deps));
  api.use('/sparklines', requireUser(deps));
  api.use('/events', requireUser(deps));
  api.use('/events/*', requireUser(deps));
  api.use('/outages', requireUser(deps));
  api.use('/deliveries', requireUser(deps));
  api.use('/maintenance', requireUser(deps));
  api.use('/maintenance/*', requireUser(deps));
  api.use('/channels/*', requireUser(deps));
  api.use('/channels', requireUser(deps));
  api.use('/channels/*', requireAdmin());
  api.use('/channels', requireAdmin());
  api.use('/nodes', requireUser(deps));
  api.use('/nodes/*', requireUser(deps));
  // Roles (issue 8): viewers read targets, history, probe logs and the wire view; users are admins' only.
  api.use('/users/*', requireAdmin());
  api.use('/users', requireAdmin());
  // Personal tokens are any user's own (a viewer's token can only read), so they sit before the write block.
  api.use('/tokens/*', requireUser(deps));
  api.use('/tokens', requireUser(deps));
  api.route('/tokens', tokenRoutes(deps));
  api.use('/audit', requireUser(deps), requireAdmin());
  api.use('/config', requireUser(deps));
  api.use('*', viewersReadOnly());
  api.route('/targets', targetRoutes(deps));
  api.route('/targets', historyRoutes(deps));
  api.route('/targets', wireRoutes(deps));
  api.route('/targets', targetChangeRoutes(deps));
  api.route('/users', userRoutes(deps));
  api.route('/audit', auditRoutes(deps));
  api.route('/config', configRoutes(deps));
  api.route('/', sparklineRoutes(deps));
  api.route('/', eventRoutes(deps));
  api.route('/', liveRoutes(deps.live ?? new LiveService(deps), deps));
  api.route('/', deliveryRoutes(deps));
  api.route('/channels', channelRoutes(deps));
  api.route('/maintenance', maintenanceRoutes(deps));
  api.route('/targets', targetChannelRoutes(deps));
  api.route('/charts', chartRoutes(deps));
  api.route('/', nodeRoutes(deps));
  api.route(
    '/',
    openApiRoutes(() => app, deps.config.basePath),
  ); // the contract of every route above (issue 14 §2)
  api.all('*', () => {
    throw new NotFoundError('API route');
  });
  app.route('/api', api);
  app.route('/', metricsRoutes(deps.config.metricsToken, deps.metrics ?? null));

  const base = deps.config.basePath;
  const index = join(uiDir, 'index.html');
  if (existsSync(index)) {
    const html = withBase(readFileSync(index, 'utf8'), base);
    // index.html always goes out with its <base>, also where serveStatic would send the file as is
    app.use('/*', async (c, next) => (c.req.method === 'GET' && (c.req.path.endsWith('/') || c.req.path.endsWith('/index.html')) ? c.html(html) : next()));
    app.use('/*', serveStatic({ root: uiDir, rewriteRequestPath: (p) => p.slice(base.length) }));
    app.get('/assets/*', () => {
      throw new NotFoundError('File');
    });
    app.get('*', (c) => c.html(html));
  }
  return base ? underBase(app, base, deps) : app;
}

/**
 * Gives the UI its base URL: a `<base href="<basePath>/">` first in `<head>`, against which the
 * build's relative asset URLs (vite `base: './'`) resolve and from which the UI reads its router
 * base and API prefix (ui/src/lib/base.ts).
 */
function withBase(html: string, basePath: string): string {
  return html.replace(/<head(\s[^>]*)?>/i, (head) => `${head}\n    <base href="${basePath}/" />`);
}

/**
 * Mounts the app under `NETWATCH_BASE_PATH`: everything lives below `<base>/`; `<base>` alone
 * redirects there (308); any other path is a 404 (with the security headers), so nothing is served at `/`.
 */
function underBase(app: Hono<AppEnv>, base: string, deps: AppDeps): Hono<AppEnv> {
  const root = new Hono<AppEnv>();
  root.onError(errorHandler(deps.log, () => deps.metrics?.dbError('api')));
  root.use('*', securityHeaders());
  root.get(base, (c) => c.redirect(`${base}/`, 308));
  root.route(base, app);
  root.all('*', () => {
    throw new NotFoundError('Route');
  });
  return root;
}
