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

/** The token in an `Authorization: Bearer` header, or null when the header is absent or another scheme. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/**
 * Middleware for /api/*: authenticates a bearer token when one is sent (a cookie is then ignored).
 * Requests without the header pass on unchanged to the session checks.
 * @throws {UnauthorizedError} 401 for a wrong, expired or revoked token (or another scheme's header value);
 *   {@link RateLimitedError} 429 once an address has sent too many wrong tokens this minute
 */
export function bearerAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const bad = new RateLimiterMemory({ points: MAX_BAD_TOKENS_PER_ADDRESS, duration: 60 });
  const limited = (res: RateLimiterRes) => new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined) return next();
    const client = clientAddress(c, deps.config.trustProxy);
    const spent = await bad.get(client);
    if (spent && spent.remainingPoints <= 0) throw limited(spent);
    const token = bearerToken(header);
    const now = deps.now();
    const found = token === null ? undefined : await findTokenUser(deps.db, tokenHash(token), now);
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
