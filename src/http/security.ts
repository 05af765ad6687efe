/**
 * Browser-grade hardening on every response, with Hono's built-in middleware:
 * - {@link securityHeaders}: `secureHeaders` with a Content-Security-Policy that allows only
 *   NetWatch's own origin (the built UI is one module script and one stylesheet from /assets; uPlot
 *   draws on a canvas and sizes elements through CSSOM, which CSP does not restrict), no framing
 *   (`frame-ancestors 'none'`, CSP Level 3 §6.4.2, and `X-Frame-Options: DENY` for older browsers),
 *   `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`. HSTS is left to the
 *   operator's TLS proxy: NetWatch itself speaks plain HTTP and cannot know the domain's policy.
 * - {@link sameOriginWrites}: unsafe methods from a foreign origin or site get 403, with Hono's `csrf`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { ForbiddenError } from '../errors.js';
import type { AppEnv } from './deps.js';
import { publicOrigin } from './request-origin.js';
import { bearerToken } from './bearer.js';

/** The Content-Security-Policy directives NetWatch sends (hono's camelCase names). */
export const CSP: Readonly<Record<string, readonly string[]>> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Security headers for every response (API, UI, errors). */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    contentSecurityPolicy: Object.fromEntries(Object.entries(CSP).map(([k, v]) => [k, [...v]])),
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: false,
  });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const REFUSED = 'Cross-site request refused: changes are accepted only from NetWatch’s own pages.';

/**
 * Refuses cross-origin writes (CSRF) with 403 `forbidden`, for unsafe methods:
 * - `Sec-Fetch-Site` present (every current browser sends it; pages cannot forge it): only
 *   `same-origin` (and `none`, a user-initiated navigation) pass;
 * - otherwise `Origin` present (browsers send it on every non-GET request, Fetch standard
 *   "append a request `Origin` header"): it must equal {@link publicOrigin};
 * - then Hono's `csrf` refuses a form-encodable body (form, multipart, text/plain: what a page
 *   can send cross-site without a CORS preflight) that proves neither.
 * A request with neither header and no body (a script's DELETE or logout) passes: no browser sent it;
 * so does one with a bearer token (a browser cannot attach one cross-site without a preflight). So a
 * same-origin or token request with a body that is not JSON gets the route's 415, not 403.
 * @param trustProxy `NETWATCH_TRUST_PROXY`: the scheme of our own origin comes from the proxy
 * @throws {ForbiddenError} when refused
 */
export function sameOriginWrites(trustProxy: boolean): MiddlewareHandler<AppEnv> {
  const isOwn = (origin: string, c: Context) => origin === publicOrigin(c, trustProxy);
  const formGuard = csrf({ origin: isOwn, secFetchSite: ['same-origin', 'none'] });
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const foreign = site !== undefined ? site !== 'same-origin' && site !== 'none' : origin !== undefined && !isOwn(origin, c);
    if (foreign) throw new ForbiddenError(REFUSED);
    if (site === undefined && origin === undefined && !c.req.header('content-type')) return next();
    // a bearer token (bearer.ts) authenticates the request, not a cookie, and a page cannot add that
    // header cross-site without a CORS preflight NetWatch never grants: no CSRF to refuse, so a wrong
    // Content-Type reaches the route and gets its 415
    if (bearerToken(c.req.header('authorization')) !== null) return next();
    try {
      await formGuard(c, next);
    } catch (err) {
      if (err instanceof HTTPException && err.status === 403) throw new ForbiddenError(REFUSED);
      throw err;
    }
  };
}
