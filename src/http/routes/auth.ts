/**
 * Authentication routes:
 * - `POST /api/login` `{username, password}` → 204 + session cookie; 401 (one message for unknown
 *   user and wrong password); 429 after 10 failures per minute per client address and account,
 *   or 60 attempts per minute per client address over all names.
 * - `POST /api/logout` → 204; the session row is deleted.
 * - `GET /api/me` → `{id, username, role, createdAt}` (role `admin` or `viewer`); 401 without a live session.
 * - `GET /api/setup` → `{required}`; `POST /api/setup` `{token, username, password}` → 201 user and
 *   a session; 403 once any user exists or when the token is wrong.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { recordAudit } from '../../audit/record.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from '../../auth/password.js';
import { loginBody, setupBody } from '../../domain/user-rules.js';
import { ForbiddenError, RateLimitedError, UnauthorizedError } from '../../errors.js';
import { deleteSession } from '../../store/sessions.js';
import { countUsers, createUser, findUserByName, usernameKey } from '../../store/users.js';
import { clientAddress } from '../client-address.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { clearSessionCookie, requireUser, sessionIdOf, startSession } from '../session.js';
import { jsonBody } from '../validate.js';
import { doc } from '../openapi/markers.js';
import { User } from '../openapi/shapes.js';

/** Login attempts allowed per minute per client address and account (user's spec: 10 failures). */
const MAX_FAILURES = 10;
/** Login attempts allowed per minute per client address, over all names. */
const MAX_ATTEMPTS_PER_ADDRESS = 60;

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Builds the auth routes (mounted at /api). */
export function authRoutes(deps: AppDeps) {
  const limiter = new RateLimiterMemory({ points: MAX_FAILURES, duration: 60 });
  // Every attempt costs a password hash: one address gets at most this many a minute, whatever
  // names it tries, so a flood of made-up names cannot queue up minutes of hashing for others.
  const perAddress = new RateLimiterMemory({ points: MAX_ATTEMPTS_PER_ADDRESS, duration: 60 });
  const take = async (l: RateLimiterMemory, key: string) => {
    try {
      await l.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
      throw res;
    }
  };
  const app = new Hono<AppEnv>();

  app.post('/login', doc({ summary: 'Log in: sets the session cookie', tags: ['auth'], status: 204, errors: [401, 429] }), jsonBody(loginBody), async (c) => {
    const { username, password } = c.req.valid('json');
    const client = clientAddress(c, deps.config.trustProxy);
    await take(perAddress, client);
    const user = await findUserByName(deps.db, username);
    // Keyed by the account the name resolves to, so spelling variants share one budget; a point is
    // taken before the password is checked, so parallel guesses cannot all slip through.
    const key = `${client}|${user ? `id:${user.id}` : `name:${usernameKey(username)}`}`;
    await take(limiter, key);
    const ok = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok) {
      deps.log.warn({ username, client }, 'login failed');
      await recordAudit(c, deps, { action: 'login_failed', entity: 'session', actor: username.slice(0, 200) });
      throw new UnauthorizedError('Wrong username or password.');
    }
    await limiter.delete(key);
    await startSession(c, deps, Number(user.id));
    await recordAudit(c, deps, { action: 'login', entity: 'session', entityId: Number(user.id), actor: user.username, actorUserId: Number(user.id) });
    return c.body(null, 204);
  });

  app.post('/logout', doc({ summary: 'Log out: ends the session', tags: ['auth'], status: 204 }), async (c) => {
    const sid = await sessionIdOf(c, deps);
    if (sid) await deleteSession(deps.db, sid);
    clearSessionCookie(c, deps);
    return c.body(null, 204);
  });

  app.get('/me', doc({ summary: 'The logged-in user', tags: ['auth'], ok: User }), requireUser(deps), (c) => {
    const u = c.get('user');
    return c.json({ id: u.userId, username: u.username, role: u.role, createdAt: u.createdAt });
  });

  app.get('/setup', doc({ summary: 'Whether first-run setup is needed', tags: ['auth'], ok: z.object({ required: z.boolean() }) }), async (c) =>
    c.json({ required: (await countUsers(deps.db)) === 0 }),
  );

  app.post('/setup', doc({ summary: 'First-run setup: create the first admin with the setup token', tags: ['auth'], ok: User, status: 201 }), jsonBody(setupBody), async (c) => {
    const body = c.req.valid('json');
    const token = deps.setup.token;
    if (!token || (await countUsers(deps.db)) > 0) throw new ForbiddenError('Setup is done: a user already exists. Log in instead.');
    if (!sameToken(body.token.trim(), token)) throw new ForbiddenError('The setup token is wrong. Copy it from the log line "first-run setup".');
    if (deps.setup.token !== token) throw new ForbiddenError('Setup is done: a user already exists. Log in instead.');
    deps.setup.token = null; // claimed before any further await: two requests cannot both create a user
    let user;
    try {
      const hash = await hashPassword(body.password);
      user = await deps.db.tx(async (db) => {
        if ((await countUsers(db)) > 0) throw new ForbiddenError('Setup is done: a user already exists. Log in instead.');
        const user = await createUser(db, body.username, hash, deps.now());
        // committed with the user: no change without its record (issue 14 §4)
        await recordAudit(c, deps, {
          action: 'create',
          entity: 'user',
          entityId: user.id,
          actor: user.username,
          actorUserId: user.id,
          after: { username: user.username, role: user.role, password: 'set' },
          db,
        });
        return user;
      });
    } catch (err) {
      if (!(err instanceof ForbiddenError)) deps.setup.token = token;
      throw err;
    }
    deps.log.info({ username: user.username }, 'first user created through setup');
    await startSession(c, deps, user.id);
    return c.json(user, 201);
  });

  return app;
}
