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
import { hashPassword, UNUSABLE_PASSWORD_HASH } from '../../auth/password.js';
import { userCreate, userUpdate } from '../../domain/user-rules.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { deleteOtherSessions } from '../../store/sessions.js';
import { countAdmins, countUsers, createUser, deleteUser, findUserByName, getUserRow, isUniqueViolation, listUsers, toUser, updateUser } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { jsonBody, parseId, queryOf } from '../validate.js';
import { doc } from '../openapi/markers.js';
import { User } from '../openapi/shapes.js';

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
  const assertFree = async (username: string, exceptId?: number, db = deps.db) => {
    const other = await findUserByName(db, username);
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

  app.get('/', doc({ summary: 'List users', tags: ['users'], ok: z.object({ users: z.array(User) }) }), queryOf(z.object({ q: z.string().max(100).optional() })), async (c) =>
    c.json({ users: await listUsers(deps.db, c.req.valid('query').q) }),
  );

  app.post('/', doc({ summary: 'Create a user', tags: ['users'], ok: User, status: 201, errors: [409] }), jsonBody(userCreate), async (c) => {
    const body = c.req.valid('json');
    await assertFree(body.username);
    const hash = await hashPassword(body.password);
    // the user and its audit entry commit together: no change without its record (issue 14 §4)
    const user = await claimName(body.username, () =>
      deps.db.tx(async (db) => {
        await assertFree(body.username, undefined, db);
        const user = await createUser(db, body.username, hash, deps.now(), body.role);
        await recordAudit(c, deps, { action: 'create', entity: 'user', entityId: user.id, after: { username: user.username, role: user.role, password: 'set' }, db });
        return user;
      }),
    );
    return c.json(user, 201);
  });

  app.get('/:id', doc({ summary: 'One user', tags: ['users'], ok: User, errors: [404] }), async (c) => c.json(toUser(await mustGet(c.req.param('id')))));

  app.put('/:id', doc({ summary: 'Change a username, password or role', tags: ['users'], ok: User, errors: [404, 409] }), jsonBody(userUpdate), async (c) => {
    const row = await mustGet(c.req.param('id'));
    const body = c.req.valid('json');
    if (body.username !== undefined) await assertFree(body.username, Number(row.id));
    const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password);
    const role = body.role !== undefined && body.role !== row.role ? body.role : undefined;
    const name = body.username;
    // One transaction: the last-admin check (counted under lock, so two demotions cannot both
    // pass), the change, the end of the user's other sessions and the audit entry all commit together.
    const updated = await claimName(name ?? row.username, () =>
      deps.db.tx(async (db) => {
        if (role !== undefined && role !== 'admin' && row.password_hash !== UNUSABLE_PASSWORD_HASH && (await countAdmins(db, { lock: true })) <= 1) throw lastAdmin('demoted');
        if (name !== undefined) await assertFree(name, Number(row.id), db);
        if (!(await updateUser(db, Number(row.id), { username: name, passwordHash, role }, deps.now()))) throw new NotFoundError('User');
        if (passwordHash) {
          const me = c.get('user');
          await deleteOtherSessions(db, Number(row.id), me.userId === Number(row.id) ? me.sessionId : null);
        }
        const updated = await getUserRow(db, Number(row.id));
        if (!updated) throw new NotFoundError('User'); // deleted meanwhile
        const was = { username: row.username, role: toUser(row).role };
        await recordAudit(c, deps, {
          action: 'update',
          entity: 'user',
          entityId: updated.id,
          before: was,
          after: { username: updated.username, role: toUser(updated).role, ...(passwordHash && { password: 'changed' }) },
          db,
        });
        return updated;
      }),
    );
    return c.json(toUser(updated));
  });

  app.delete('/:id', doc({ summary: 'Delete a user (and their tokens)', tags: ['users'], status: 204, errors: [404, 409] }), async (c) => {
    const row = await mustGet(c.req.param('id'));
    if (Number(row.id) === c.get('user').userId) throw new ConflictError('You cannot delete yourself; ask another user to do it.');
    await deps.db.tx(async (db) => {
      if ((await countUsers(db, { lock: true })) <= 1) throw new ConflictError('The last user cannot be deleted.');
      if (row.role === 'admin' && row.password_hash !== UNUSABLE_PASSWORD_HASH && (await countAdmins(db, { lock: true })) <= 1) throw lastAdmin('deleted');
      await deleteUser(db, Number(row.id));
      await recordAudit(c, deps, { action: 'delete', entity: 'user', entityId: Number(row.id), before: { username: row.username, role: toUser(row).role }, db });
    });
    return c.body(null, 204);
  });

  return app;
}
