/**
 * Where a request came from as the browser saw it: scheme and origin (RFC 6454 §4). Behind a
 * proxy that NetWatch trusts (`NETWATCH_TRUST_PROXY=true`), the scheme is the proxy's
 * `X-Forwarded-Proto`; otherwise that header is ignored, since any client can send it.
 */
import type { Context } from 'hono';

/**
 * True when the browser's connection is HTTPS: the request URL is https, or NetWatch trusts its
 * proxy and the proxy's `X-Forwarded-Proto` says `https` (the last value when a chain of proxies
 * appended several, as the shipped nginx.conf sets one).
 */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  const proto = c.req.header('x-forwarded-proto')?.split(',').pop()?.trim().toLowerCase();
  return proto === 'https';
}

/**
 * The origin the browser addressed, `scheme://host[:port]` (RFC 6454 §6.2 serialisation): the
 * scheme from {@link isHttps}, the authority from the `Host` header (RFC 9110 §7.2), which the
 * shipped nginx.conf passes on unchanged (`$http_host`).
 */
export function publicOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const scheme = isHttps(c, trustProxy) ? 'https:' : url.protocol;
  const host = c.req.header('host') ?? url.host;
  // Normalise through URL so default ports (":80", ":443") drop out as browsers drop them in Origin.
  try {
    return new URL(`${scheme}//${host}`).origin;
  } catch {
    return url.origin;
  }
}
