/**
 * User routes (all need an admin's session; a viewer gets 403 `forbidden`, issue 8):
 * - `GET /api/users?q=` → `{users: [{id, username, role, createdAt}]}`;
 * - `POST /api/users` `{username, password, role?}` (role `admin` default, or `viewer`) → 201 user;
 *   409 when the username is taken;
 * - `GET /api/users/:id`; `PUT /api/users/:id` `{username?, password?, role?}` → user; a password
 *   change ends that user's other sessions; a role change applies to their next request;
 *   409 when it would demote the last admin;
 * - `DELETE /api/users/:id` → 204; 409 for yourself, the last user or the last admin.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { hashPassword } from '../../auth/password.js';
import { userCreate, userUpdate } from '../../domain/user-rules.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { deleteOtherSessions } from '../../store/sessions.js';
import { countAdmins, countUsers, createUser, deleteUser, findUserByName, getUserRow, isUniqueViolation, listUsers, toUser, updateUser } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { jsonBody, parseId, queryOf } from '../validate.js';

/** Builds the user routes (mounted at /api/users). */
export function userRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const mustGet = async (raw: string) => {
    const id = parseId(raw);
    const row = id === undefined ? undefined : await getUserRow(deps.db, id);
    if (!row) throw new NotFoundError('User');
    return row;
  };
  const lastAdmin = (what: string) => new ConflictError(`The last admin cannot be ${what}; make another user admin first.`);
  const taken = (username: string) => new ConflictError(`The username "${username}" is taken.`);
  const assertFree = async (username: string, exceptId?: number) => {
    const other = await findUserByName(deps.db, username);
    if (other && Number(other.id) !== exceptId) throw taken(username);
  };
  // Name checks and writes run one at a time, so two requests cannot both claim a name; a unique-key
  // error from another process still becomes a 409.
  let queue: Promise<unknown> = Promise.resolve();
  const claimName = <T>(username: string, write: () => Promise<T>): Promise<T> => {
    const run = () =>
      write().catch((err: unknown) => {
        if (isUniqueViolation(err)) throw taken(username);
        throw err;
      });
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  app.get('/', queryOf(z.object({ q: z.string().max(100).optional() })), async (c) => c.json({ users: await listUsers(deps.db, c.req.valid('query').q) }));

  app.post('/', jsonBody(userCreate), async (c) => {
    const body = c.req.valid('json');
    await assertFree(body.username);
    const hash = await hashPassword(body.password);
    const user = await claimName(body.username, async () => {
      await assertFree(body.username);
      return createUser(deps.db, body.username, hash, deps.now(), body.role);
    });
    await recordAudit(c, deps, { action: 'create', entity: 'user', entityId: user.id, after: { username: user.username, role: user.role, password: 'set' } });
    return c.json(user, 201);
  });

  app.get('/:id', async (c) => c.json(toUser(await mustGet(c.req.param('id')))));

  app.put('/:id', jsonBody(userUpdate), async (c) => {
    const row = await mustGet(c.req.param('id'));
    const body = c.req.valid('json');
    if (body.username !== undefined) await assertFree(body.username, Number(row.id));
    const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password);
    if (body.role !== undefined && body.role !== row.role) {
      const role = body.role;
      // Checked and written in one transaction, counted under lock: two demotions cannot both pass.
      await deps.db.tx(async (db) => {
        if (role !== 'admin' && (await countAdmins(db, { lock: true })) <= 1) throw lastAdmin('demoted');
        await updateUser(db, Number(row.id), { role }, deps.now());
      });
    }
    const name = body.username;
    await claimName(name ?? row.username, async () => {
      if (name !== undefined) await assertFree(name, Number(row.id));
      if (!(await updateUser(deps.db, Number(row.id), { username: name, passwordHash }, deps.now()))) throw new NotFoundError('User');
    });
    if (passwordHash) {
      const me = c.get('user');
      await deleteOtherSessions(deps.db, Number(row.id), me.userId === Number(row.id) ? me.sessionId : null);
    }
    const updated = await getUserRow(deps.db, Number(row.id));
    if (!updated) throw new NotFoundError('User'); // deleted meanwhile
    const was = { username: row.username, role: toUser(row).role };
    await recordAudit(c, deps, {
      action: 'update',
      entity: 'user',
      entityId: updated.id,
      before: was,
      after: { username: updated.username, role: toUser(updated).role, ...(passwordHash && { password: 'changed' }) },
    });
    return c.json(toUser(updated));
  });

  app.delete('/:id', async (c) => {
    const row = await mustGet(c.req.param('id'));
    if (Number(row.id) === c.get('user').userId) throw new ConflictError('You cannot delete yourself; ask another user to do it.');
    await deps.db.tx(async (db) => {
      if ((await countUsers(db, { lock: true })) <= 1) throw new ConflictError('The last user cannot be deleted.');
      if (row.role === 'admin' && (await countAdmins(db, { lock: true })) <= 1) throw lastAdmin('deleted');
      await deleteUser(db, Number(row.id));
      await recordAudit(c, deps, { action: 'delete', entity: 'user', entityId: Number(row.id), before: { username: row.username, role: toUser(row).role }, db });
    });
    return c.body(null, 204);
  });

  return app;
}
