/**
 * `GET /api/health` (no session needed) → 200 `{status: "ok", db: "ok", writer, scheduleLagMs}`,
 * or 503 with `status: "degraded", db: "error"` when the database does not answer within 2 s.
 * `writer`: buffered/written/dropped counts; `scheduleLagMs`: p50/p99/max over the last minute.
 */
import { Hono } from 'hono';
import { SQL } from 'sql-template-strings';
import type { AppDeps, AppEnv } from '../deps.js';

/** Builds the health route (mounted at /api). */
export function healthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/health', async (c) => {
    let db: 'ok' | 'error' = 'ok';
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.db.get(SQL`SELECT 1 AS ok`),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000))),
      ]);
    } catch {
      db = 'error';
    } finally {
      clearTimeout(timer);
    }
    const body = {
      status: db === 'ok' ? 'ok' : 'degraded',
      db,
      store: deps.db.dialect,
      writer: deps.actors ? { ...deps.actors.writer.buffer.stats } : null,
      scheduleLagMs: deps.actors ? deps.actors.lag.summary(Date.now()) : null,
    };
    return c.json(body, db === 'ok' ? 200 : 503);
  });
  return app;
}
