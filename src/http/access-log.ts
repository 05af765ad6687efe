/** Access log: one pino line per request (method, path, status, duration ms, client address, user id). */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { clientAddress } from './client-address.js';
import type { AppEnv } from './deps.js';

/** Builds the access-log middleware writing to `log` (level HTTP_LOG_LEVEL). */
export function accessLog(log: Logger, trustProxy = false): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const t0 = performance.now();
    await next();
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms, client: clientAddress(c, trustProxy), userId: c.get('user')?.userId }, 'request');
  };
}
