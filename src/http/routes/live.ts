/**
 * Live dashboard routes (issue 12 §4; need a session or token, viewers included):
 * - `GET /api/events/snapshot?location=` → `LiveSnapshot` (domain/live-frame.ts): every target (or those the
 *   location probes) as columns, with `cursor`.
 * - `GET /api/events/stream?location=&after=<cursor>` → `text/event-stream`: `delta` events (one a
 *   second at most, id = cursor; `LiveDelta`) after the cursor (`after`, or the
 *   Last-Event-ID header an EventSource sends when it reconnects), a `: heartbeat` comment after
 *   15 s of silence, and `resync` (then the stream ends) when the cursor is too old or from an
 *   earlier process, the target list changed, or the client fell behind: fetch a fresh snapshot
 *   and reconnect with its cursor.
 * `X-Accel-Buffering: no` keeps nginx from buffering the stream; the compression middleware
 * passes `text/event-stream` through untouched. 400 with per-field messages for a bad location.
 * At most `NETWATCH_MAX_EVENT_STREAMS` streams are open at once (each holds a socket out of the
 * descriptor reserve); one more gets 503 `busy` with `Retry-After`, and a slot is free again as
 * soon as its stream ends (client gone, resync, credential ended).
 */
import { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { z } from 'zod';
import { locationName } from '../../domain/location-rules.js';
import { LIVE_EVENTS } from '../../domain/live-frame.js';
import type { LiveService } from '../../live/service.js';
import { getApiToken } from '../../store/api-tokens.js';
import { findSession } from '../../store/sessions.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { doc } from '../openapi/markers.js';
import { LiveSnapshot } from '../openapi/shapes.js';
import { queryOf } from '../validate.js';
import { BusyError } from '../../errors.js';

const snapshotQuery = z.object({ location: locationName.optional() });
const streamQuery = snapshotQuery.extend({
  after: z
    .string()
    .max(40)
    .regex(/^[0-9a-z]+\.\d+$/, { error: 'after must be a cursor from a snapshot.' })
    .optional(),
});

/** Retry-After for a stream refused because all slots are taken, s (about one heartbeat, when idle clients tend to drop). */
const STREAM_RETRY_S = 15;

/** How often an open stream checks that its session or token still exists, ms. */
const RECHECK_MS = 5_000;

/**
 * Builds `/events/snapshot` and `/events/stream` (mounted at /api) on `live`. An open stream checks
 * its credential every {@link RECHECK_MS}: once the session has ended (logout, expiry, deleted) or
 * the token was revoked, it sends `resync` and ends, so the client's next snapshot request gets
 * the 401 that takes it to the login page.
 */
export function liveRoutes(live: LiveService, deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/events/snapshot', doc({ summary: 'Every target as columns, with a cursor for the live stream', tags: ['live'], ok: LiveSnapshot }), queryOf(snapshotQuery), async (c) =>
    c.json(await live.snapshot(c.req.valid('query').location)),
  );
  app.get(
    '/events/stream',
    doc({
      summary: 'Server-Sent Events: delta events after a cursor, heartbeats, resync',
      tags: ['live'],
      media: 'text/event-stream',
      description: 'At most `NETWATCH_MAX_EVENT_STREAMS` streams are open at once; one more gets 503 `busy` with `Retry-After` (s).',
    }),
    queryOf(streamQuery),
    async (c) => {
      const q = c.req.valid('query');
      const lastId = c.req.header('last-event-id');
      const after = lastId && /^[0-9a-z]+\.\d+$/.test(lastId) ? lastId : q.after;
      await live.start();
      const release = live.takeStreamSlot();
      if (!release) throw new BusyError(`Too many live streams are open (at most ${deps.config.maxEventStreams}); try again shortly.`, STREAM_RETRY_S);
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        try {
          await follow(stream);
        } finally {
          release();
        }
      });
      async function follow(stream: SSEStreamingApi): Promise<void> {
        const sub = live.hub.subscribe(q.location, after);
        const user = c.get('user');
        const stillValid = async (): Promise<boolean> =>
          user.token ? (await getApiToken(deps.db, null, user.token.id)) !== undefined : (await findSession(deps.db, user.sessionId, deps.now())) !== undefined;
        let checkedAt = Date.now();
        stream.onAbort(() => sub.close());
        // start the response at once (a proxy or client sees the stream open before the first delta)
        await stream.write(': open\n\n');
        for (let item = await sub.next(); item; item = await sub.next()) {
          if ('comment' in item) await stream.write(`: ${item.comment}\n\n`);
          else await stream.writeSSE(item);
          if (stream.aborted || stream.closed) break;
          if ('event' in item && item.event === LIVE_EVENTS.resync) break;
          if (Date.now() - checkedAt >= RECHECK_MS) {
            checkedAt = Date.now();
            if (!(await stillValid().catch(() => true))) {
              await stream.writeSSE({ event: LIVE_EVENTS.resync, data: 'credential ended' });
              break;
            }
          }
        }
        sub.close();
      }
    },
  );
  return app;
}
