/**
 * `Authorization: Bearer <token>` (RFC 6750 §2.1) for every /api route (issue 14 §1). A live token
 * sets `c.var.user` with its user's current role, so the role checks in session.ts apply as for a
 * session. A header is not sent by browsers on their own, so a token request needs no CSRF origin
 * check. A wrong, expired or revoked token gets the same 401 as a request with no session, and
 * each one counts toward a per-address limit: past it, every bearer request from that address is
 * 429 until the minute is over. Password logins keep their own limits (routes/auth.ts).
 */
import type { MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { tokenHash } from '../auth/api-token.js';
import { RateLimitedError, UnauthorizedError } from '../errors.js';
import { findTokenUser, touchApiToken } from '../store/api-tokens.js';
import { clientAddress } from './client-address.js';
import type { AppDeps, AppEnv } from './deps.js';

/** Wrong tokens allowed per minute per client address. */
export const MAX_BAD_TOKENS_PER_ADDRESS = 30;

/**
 * The credentials of an `Authorization: Bearer` header (RFC 6750 §2.1; the scheme name is
 * case-insensitive, RFC 9110 §11.1): the token, '' when malformed, or null when the header is
 * absent or of another scheme (e.g. Basic from a proxy in front of NetWatch), which is left alone.
 */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer(?:[ ]+(.*))?$/i.exec(header?.trim() ?? '');
  if (!m) return null;
  const token = m[1]?.trim() ?? '';
  return /^[A-Za-z0-9._~+/=-]+$/.test(token) ? token : '';
}

/**
 * Middleware for /api/*: authenticates a bearer token when one is sent (a cookie is then ignored).
 * Requests without a Bearer header pass on unchanged to the session checks.
 * @throws {UnauthorizedError} 401 for a wrong, expired, revoked or malformed bearer token;
 *   {@link RateLimitedError} 429 once an address has sent too many wrong tokens this minute
 */
export function bearerAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const bad = new RateLimiterMemory({ points: MAX_BAD_TOKENS_PER_ADDRESS, duration: 60 });
  const limited = (res: RateLimiterRes) => new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === null) return next();
    const client = clientAddress(c, deps.config.trustProxy);
    const spent = await bad.get(client);
    if (spent && spent.remainingPoints <= 0) throw limited(spent);
    const now = deps.now();
    const found = token === '' ? undefined : await findTokenUser(deps.db, tokenHash(token), now);
    if (!found) {
      try {
        await bad.consume(client);
      } catch (res) {
        if (res instanceof RateLimiterRes) throw limited(res);
        throw res;
      }
      throw new UnauthorizedError();
    }
    await touchApiToken(deps.db, found.tokenId, now, client);
    c.set('user', {
      sessionId: '',
      userId: found.userId,
      username: found.username,
      role: found.role,
      createdAt: found.userCreatedAt,
      expiresAt: Number.MAX_SAFE_INTEGER,
      token: { id: found.tokenId, name: found.tokenName },
    });
    await next();
  };
}
