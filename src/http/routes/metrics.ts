/**
 * `GET /metrics`: Prometheus text exposition format 0.0.4 (src/metrics/) for a scraper holding
 * `Authorization: Bearer <NETWATCH_METRICS_TOKEN>` (Hono's `bearerAuth`, RFC 6750).
 * - no token configured → 404 `not_found`, so metrics are never open by accident;
 * - missing or wrong token → 401 `unauthorized` with `WWW-Authenticate: Bearer realm="netwatch"`.
 */
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { HTTPException } from 'hono/http-exception';
import { NotFoundError, UnauthorizedError } from '../../errors.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps.js';
import { doc } from '../openapi/markers.js';

/** Builds the metrics route (mounted at /). @param metrics null when no token is set */
export function metricsRoutes(token: string | null, metrics: Metrics | null) {
  const app = new Hono<AppEnv>();
  if (!token || !metrics) {
    app.all('/metrics', () => {
      throw new NotFoundError('Route');
    });
    return app;
  }
  const auth: MiddlewareHandler<AppEnv> = bearerAuth({ token, realm: 'netwatch' });
  const described = doc({ summary: 'Prometheus metrics (text format 0.0.4)', tags: ['metrics'], media: 'text/plain', errors: [401], security: [{ metrics: [] }] });
  app.get(
    '/metrics',
    described,
    async (c, next) => {
      try {
        await auth(c, next);
      } catch (err) {
        if (!(err instanceof HTTPException) || (err.status !== 401 && err.status !== 400)) throw err;
        c.header('WWW-Authenticate', 'Bearer realm="netwatch"');
        throw new UnauthorizedError('Send the metrics token: Authorization: Bearer <NETWATCH_METRICS_TOKEN>.');
      }
    },
    async (c) => {
      const body = await metrics.render();
      return c.body(body, 200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
    },
  );
  return app;
}
