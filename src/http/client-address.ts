/**
 * The client's address: the socket's peer, or, when NetWatch runs behind a proxy it trusts
 * (`NETWATCH_TRUST_PROXY=true`, e.g. the shipped nginx.conf), the last X-Forwarded-For entry —
 * the one that proxy appended (RFC 7239 §5.2 describes the same chain for `Forwarded`).
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Remote IP of the request, or "unknown" when the app runs without a socket (in-process tests). */
export function clientAddress(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',');
    const last = hops?.[hops.length - 1]?.trim();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
