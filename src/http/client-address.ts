/** The client's address as the socket sees it (no proxy headers are trusted). */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Remote IP of the request, or "unknown" when the app runs without a socket (in-process tests). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
