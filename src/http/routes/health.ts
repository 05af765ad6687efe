/**
 * `GET /api/health` (no session needed) → 200 {@link HealthReport} with `status: "ok"`, or 503 with
 * `status: "degraded"` and `reasons` (one sentence each, for the UI's banner) when:
 * - the database does not answer within 2 s (`db: "error"`);
 * - the MySQL server refused or dropped connections in the last 30 s (`db: "degraded"`, `dbReason`
 *   naming the error, e.g. `ER_CON_COUNT_ERROR (Too many connections)`);
 * - results have waited over 5 s without being stored (`writer.storing: false`, `writer.reason`
 *   with the last error code and the number waiting) — issue "Run for months unattended" §3.
 * `writer`: buffered/written/dropped/failedFlushes counts; `scheduleLagMs`: count, p50/p99/max (ms)
 * and on-time share (lag < 50 ms) over the last minute.
 * `local` (src/actors/local-faults.ts): NetWatch's own faults while probing; `degraded` (and so the
 * whole status, 503) while probes failed with `local_error` or waited for the descriptor budget in
 * the last 60 s, with `reasons` naming each cause, `errorsLastMinute`/`errorsTotal` per errno, and
 * `descriptors` {limit, reserve, size, inUse, waiting, waitedLastMinute, refusedLastMinute, peakInUse}.
 */
import { Hono } from 'hono';
import { SQL } from 'sql-template-strings';
import type { HealthReport } from '../../domain/types.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { doc } from '../openapi/markers.js';
import { Health } from '../openapi/shapes.js';

/** Results waiting this long (ms) without a successful flush mean storing has stalled (flushes run every second). */
const STALL_MS = 5_000;

/** Builds the health route (mounted at /api). */
export function healthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get(
    '/health',
    doc({ summary: 'Health of the store, writer and prober (no session needed)', tags: ['health'], ok: Health, other: { 503: { description: 'Degraded: `reasons` says why.', body: Health } } }),
    async (c) => {
      const now = Date.now();
      let db: HealthReport['db'] = 'ok';
      let dbReason: string | null = null;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([deps.db.get(SQL`SELECT 1 AS ok`), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000)))]);
      } catch (err) {
        db = 'error';
        const code = (err as { code?: unknown }).code;
        dbReason = typeof code === 'string' ? `The database answered with an error (${code}).` : 'The database did not answer within 2 s.';
      } finally {
        clearTimeout(timer);
      }
      const pool = deps.db.health(now);
      if (!pool.ok) {
        // the pool's reason is the more specific one (a refused or dropped connection); codes only
        if (db === 'ok') db = 'degraded';
        dbReason = `The database ${pool.reason}.`;
      }
      const writer = deps.actors?.writer;
      const stats = writer?.stats;
      // Failing flushes and a flush that hangs (a locked table) both show as results waiting long.
      const waitingMs = writer?.waitingMs() ?? 0;
      const storing = waitingMs <= STALL_MS;
      const writerReason =
        storing || !stats
          ? null
          : `Results have not been stored for ${Math.round(waitingMs / 1000)} s${stats.lastErrorCode ? ` (${stats.lastErrorCode})` : ''}; ${stats.buffered.toLocaleString('en-US')} are waiting in memory.`;
      const local = deps.actors ? deps.actors.local.health(now) : null;
      const reasons = [dbReason, writerReason, ...(local?.reasons ?? [])].filter((r): r is string => r !== null);
      const body: HealthReport = {
        status: reasons.length === 0 ? 'ok' : 'degraded',
        reasons,
        db,
        dbReason,
        store: deps.db.dialect,
        // counts and error codes only: the error text (table and database names) goes to the log
        writer: stats ? { buffered: stats.buffered, written: stats.written, dropped: stats.dropped, failedFlushes: stats.failedFlushes, waitingMs, storing, reason: writerReason } : null,
        scheduleLagMs: deps.actors ? deps.actors.lag.summary(now) : null,
        local,
      };
      return c.json(body, body.status === 'ok' ? 200 : 503);
    },
  );
  return app;
}
