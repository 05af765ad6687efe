/**
 * `GET /api/health` (no session needed) → 200 `{status: "ok", db: "ok", store, writer, scheduleLagMs}`,
 * or 503 with `status: "degraded"` when the database does not answer within 2 s (`db: "error"`) or
 * the writer's last flush failed or results have waited over 15 s (`writer.storing: false`).
 * `writer`: buffered/written/dropped/failedFlushes counts; `scheduleLagMs`: count, p50/p99/max (ms)
 * and on-time share (lag < 50 ms) over the last minute.
 */
import { Hono } from 'hono';
import { SQL } from 'sql-template-strings';
import type { AppDeps, AppEnv } from '../deps.js';

/** Results waiting this long (ms) without a successful flush mean storing has stalled (flushes run every second). */
const STALL_MS = 15_000;

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
    const buffer = deps.actors?.writer.buffer;
    const stats = buffer?.stats;
    // Failing flushes say so; a flush that hangs (a locked table) only shows as results waiting long.
    const waitingMs = buffer?.waitingMs() ?? 0;
    const storing = !stats || (stats.lastError === null && waitingMs <= STALL_MS);
    const body = {
      status: db === 'ok' && storing ? 'ok' : 'degraded',
      db,
      store: deps.db.dialect,
      // counts only: the error text (table and database names) goes to the log, not to anonymous callers
      writer: stats ? { buffered: stats.buffered, written: stats.written, dropped: stats.dropped, failedFlushes: stats.failedFlushes, waitingMs, storing } : null,
      scheduleLagMs: deps.actors ? deps.actors.lag.summary(Date.now()) : null,
    };
    return c.json(body, body.status === 'ok' ? 200 : 503);
  });
  return app;
}
