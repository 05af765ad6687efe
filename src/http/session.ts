/**
 * Sessions: an iron-session sealed, HttpOnly, SameSite=Strict cookie that carries only a random
 * session id; the `sessions` row makes logout, expiry and password-change revocation take effect
 * on the server. The cookie is Secure when the browser's connection is HTTPS (request-origin.ts:
 * directly, or by `X-Forwarded-Proto` from a proxy trusted with `NETWATCH_TRUST_PROXY=true`).
 */
import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sealData, unsealData } from 'iron-session';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { createSession, findSession } from '../store/sessions.js';
import type { AppDeps, AppEnv } from './deps.js';
import { requiresAdmin, requiresSession } from './openapi/markers.js';
import { isHttps } from './request-origin.js';

/** Name of the session cookie. */
export const COOKIE = 'netwatch_session';

/** The cookie's Path: NetWatch's base path (`NETWATCH_BASE_PATH`), so the cookie goes nowhere else on a shared host. */
const cookiePath = (deps: AppDeps) => deps.config.basePath || '/';

/** Creates a session row for `userId` and sets the sealed cookie. */
export async function startSession(c: Context, deps: AppDeps, userId: number): Promise<void> {
  const id = randomBytes(32).toString('base64url');
  const now = deps.now();
  const ttlS = Math.floor(deps.config.sessionTtlMs / 1000);
  await createSession(deps.db, id, userId, now, now + deps.config.sessionTtlMs);
  const sealed = await sealData({ sid: id }, { password: deps.sessionSecret, ttl: ttlS });
  setCookie(c, COOKIE, sealed, { httpOnly: true, sameSite: 'Strict', secure: isHttps(c, deps.config.trustProxy), path: cookiePath(deps), maxAge: ttlS });
}

/** The session id in the request's cookie, or null when absent or not sealed by us. */
export async function sessionIdOf(c: Context, deps: AppDeps): Promise<string | null> {
  const raw = getCookie(c, COOKIE);
  if (!raw) return null;
  try {
    const data = await unsealData<{ sid?: string }>(raw, { password: deps.sessionSecret });
    return typeof data.sid === 'string' ? data.sid : null;
  } catch {
    return null;
  }
}

/** Clears the cookie in the browser. */
export function clearSessionCookie(c: Context, deps: AppDeps): void {
  deleteCookie(c, COOKIE, { path: cookiePath(deps), httpOnly: true, sameSite: 'Strict', secure: isHttps(c, deps.config.trustProxy) });
}

/**
 * Middleware: requires a live session and sets `c.var.user`; a user already set by an API token
 * (bearer.ts) passes as is.
 * @throws {UnauthorizedError} when there is none (401)
 */
export function requireUser(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return requiresSession(async (c, next) => {
    if (c.get('user')) return next();
    const sid = await sessionIdOf(c, deps);
    const user = sid ? await findSession(deps.db, sid, deps.now()) : undefined;
    if (!user) throw new UnauthorizedError();
    c.set('user', user);
    await next();
  });
}

/** Methods that only read (RFC 9110 §9.2.1 "safe" methods). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The 403 a viewer gets for any change. */
const viewerForbidden = () => new ForbiddenError('Your role is viewer: you can look but not change anything. Ask an admin.');

/**
 * Middleware for the whole API, after the routes' {@link requireUser}: a viewer's request with a
 * method that is not safe (POST, PUT, PATCH, DELETE, …) is 403 `forbidden`, whatever the route, so
 * a write route added later is closed to viewers too. Requests without a session (login, logout,
 * setup) pass on to their own checks.
 * @throws {ForbiddenError} for a viewer's write
 */
export function viewersReadOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('user')?.role === 'viewer' && !SAFE_METHODS.has(c.req.method)) throw viewerForbidden();
    await next();
  };
}

/**
 * Middleware: the session's user must be an admin (routes a viewer may not even read, e.g. users).
 * Use after {@link requireUser}.
 * @throws {ForbiddenError} for a viewer
 */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return requiresAdmin(async (c, next) => {
    if (c.get('user')?.role !== 'admin') throw viewerForbidden();
    await next();
  });
}
