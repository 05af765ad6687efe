/**
 * HEAD requests (RFC 9110 §9.3.2: the same header section as GET, no content). Hono answers a
 * HEAD by running the GET route and dropping the body unread, so a streamed body (the live event
 * stream, a CSV download, raw-mode columns) would never be read nor cancelled: the stream's
 * producer would wait forever on its first write, holding what it holds (a live stream slot, a
 * store cursor). This middleware cancels the body of every HEAD answer, which ends the producer
 * the way a client that goes away does, and answers with the headers alone.
 */
import type { MiddlewareHandler } from 'hono';

/** Ends the body of every HEAD answer at once (mount first, so it sees the final response). */
export function headWithoutBody(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.method !== 'HEAD' || !c.res.body) return;
    const { status, statusText, headers } = c.res;
    await c.res.body.cancel().catch(() => undefined);
    c.res = undefined;
    c.res = new Response(null, { status, statusText, headers });
  };
}
