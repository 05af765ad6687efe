/**
 * Roles (issue 8, "A read-only role") on every store: the full route × role matrix over every route
 * the app answers (taken from the app itself, so a new route fails here until it is classified),
 * nothing changed by a viewer's refused write, the last admin kept, role changes applied at once,
 * and admin as the role of existing users (migration 007), ROOT_USER and setup's first user.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapUsers } from '../src/auth/bootstrap.js';
import type { Db } from '../src/store/db.js';
import { listMigrations, migrate } from '../src/store/migrate.js';
import { openMysql } from '../src/store/mysql.js';
import { openSqlite } from '../src/store/sqlite.js';
import { findUserByName } from '../src/store/users.js';
import { registerNode } from '../src/store/nodes.js';
import { testApp, type Client } from './helpers/app.js';
import { freshMysqlDatabase, STORES } from './helpers/stores.js';

type Role = 'admin' | 'viewer';
const NOW = Date.UTC(2031, 4, 6, 12, 0, 0);
const target = { name: 'Spoke', host: '127.0.0.1', port: 8443, intervalSeconds: 10, retentionValue: 7, retentionUnit: 'day' };
const PASSWORD = 'password 123';
/** A channel whose "Send test" goes to a closed loopback port (answered at once: refused). */
let channels = 0;
/** A channel body with a new name each time (channel names are unique). */
const CHANNEL = () => ({ name: `hook ${++channels}`, kind: 'webhook', config: { url: 'http://127.0.0.1:9/hook', secret: 'roles-secret-0123456789' } });
const WINDOW = { name: 'patch', targetId: null, startsAt: NOW, endsAt: NOW + 3_600_000 };
/** Passwords of the two logged-in users: `admin` (made by testApp) and `viewer`. */
const PW: Record<Role, string> = { admin: 'correct horse', viewer: PASSWORD };

/** Per route: how to call it for a role (fresh fixtures each time) and the status each role gets. */
interface Case {
  expect: Record<Role, number>;
  call(ctx: Ctx, role: Role): Promise<{ status: number }>;
}
interface Ctx {
  as: Record<Role, Client>;
  admin: Client;
  fresh: () => Client;
  newTarget(): Promise<number>;
  newUser(): Promise<number>;
  newChannel(): Promise<number>;
  newWindow(): Promise<number>;
  /** A node row that is down (heartbeat 60 s old), by name. */
  newDeadNode(): Promise<string>;
}

const MATRIX: Record<string, Case> = {
  'GET /health': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/health') },
  'GET /openapi.json': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/openapi.json') },
  'GET /docs': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/docs') },
  'GET /docs/:file': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/docs/init.js') },
  'POST /login': { expect: { admin: 204, viewer: 204 }, call: (x, r) => x.fresh().req('POST', '/api/login', { username: r, password: PW[r] }) },
  'POST /logout': {
    expect: { admin: 204, viewer: 204 },
    call: async (x, r) => {
      const c = x.fresh();
      await c.login(r, PW[r]);
      return c.req('POST', '/api/logout');
    },
  },
  'GET /me': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/me') },
  'GET /setup': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/setup') },
  // users exist: setup is closed to everyone (403 from setup itself, whatever the role)
  'POST /setup': { expect: { admin: 403, viewer: 403 }, call: (x, r) => x.as[r].req('POST', '/api/setup', { token: 'x', username: 'someone', password: PASSWORD }) },
  'GET /targets': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/targets') },
  'POST /targets': { expect: { admin: 201, viewer: 403 }, call: (x, r) => x.as[r].req('POST', '/api/targets', target) },
  'GET /targets/:id': { expect: { admin: 200, viewer: 200 }, call: async (x, r) => x.as[r].req('GET', `/api/targets/${await x.newTarget()}`) },
  'PUT /targets/:id': { expect: { admin: 200, viewer: 403 }, call: async (x, r) => x.as[r].req('PUT', `/api/targets/${await x.newTarget()}`, { name: 'Renamed' }) },
  'DELETE /targets/:id': { expect: { admin: 204, viewer: 403 }, call: async (x, r) => x.as[r].req('DELETE', `/api/targets/${await x.newTarget()}`) },
  'GET /targets/:id/history': { expect: { admin: 200, viewer: 200 }, call: async (x, r) => x.as[r].req('GET', `/api/targets/${await x.newTarget()}/history`) },
  'GET /targets/:id/results': { expect: { admin: 200, viewer: 200 }, call: async (x, r) => x.as[r].req('GET', `/api/targets/${await x.newTarget()}/results`) },
  'GET /targets/:id/wire': { expect: { admin: 200, viewer: 200 }, call: async (x, r) => x.as[r].req('GET', `/api/targets/${await x.newTarget()}/wire`) },
  'GET /targets/:id/results.csv': { expect: { admin: 200, viewer: 200 }, call: async (x, r) => x.as[r].req('GET', `/api/targets/${await x.newTarget()}/results.csv`) },
  'GET /sparklines': { expect: { admin: 200, viewer: 200 }, call: async (x, r) => x.as[r].req('GET', `/api/sparklines?ids=${await x.newTarget()}`) },
  // issue 11: state changes and outages for everyone; channels admins only; maintenance read by all, written by admins
  'GET /events': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/events') },
  'GET /outages': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/outages') },
  'GET /events/snapshot': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/events/snapshot') },
  // a foreign cursor: the stream sends `resync` and ends, so the whole answer can be read
  'GET /events/stream': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/events/stream?after=zzzz.1') },
  'GET /deliveries': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/deliveries') },
  'GET /channels': { expect: { admin: 200, viewer: 403 }, call: (x, r) => x.as[r].req('GET', '/api/channels') },
  'POST /channels': { expect: { admin: 201, viewer: 403 }, call: (x, r) => x.as[r].req('POST', '/api/channels', CHANNEL()) },
  'GET /channels/:id': { expect: { admin: 200, viewer: 403 }, call: async (x, r) => x.as[r].req('GET', `/api/channels/${await x.newChannel()}`) },
  'PUT /channels/:id': { expect: { admin: 200, viewer: 403 }, call: async (x, r) => x.as[r].req('PUT', `/api/channels/${await x.newChannel()}`, CHANNEL()) },
  'DELETE /channels/:id': { expect: { admin: 204, viewer: 403 }, call: async (x, r) => x.as[r].req('DELETE', `/api/channels/${await x.newChannel()}`) },
  'POST /channels/:id/test': { expect: { admin: 200, viewer: 403 }, call: async (x, r) => x.as[r].req('POST', `/api/channels/${await x.newChannel()}/test`) },
  'GET /targets/:id/channels': { expect: { admin: 200, viewer: 200 }, call: async (x, r) => x.as[r].req('GET', `/api/targets/${await x.newTarget()}/channels`) },
  'PUT /targets/:id/channels': { expect: { admin: 200, viewer: 403 }, call: async (x, r) => x.as[r].req('PUT', `/api/targets/${await x.newTarget()}/channels`, { channelIds: [] }) },
  'GET /maintenance': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/maintenance') },
  'POST /maintenance': { expect: { admin: 201, viewer: 403 }, call: (x, r) => x.as[r].req('POST', '/api/maintenance', WINDOW) },
  'PUT /maintenance/:id': { expect: { admin: 200, viewer: 403 }, call: async (x, r) => x.as[r].req('PUT', `/api/maintenance/${await x.newWindow()}`, { ...WINDOW, name: 'renamed' }) },
  'DELETE /maintenance/:id': { expect: { admin: 204, viewer: 403 }, call: async (x, r) => x.as[r].req('DELETE', `/api/maintenance/${await x.newWindow()}`) },
  'GET /charts/compare': { expect: { admin: 200, viewer: 200 }, call: async (x, r) => x.as[r].req('GET', `/api/charts/compare?ids=${await x.newTarget()}`) },
  'GET /charts/wall': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/charts/wall') },
  'GET /users': { expect: { admin: 200, viewer: 403 }, call: (x, r) => x.as[r].req('GET', '/api/users') },
  'POST /users': {
    expect: { admin: 201, viewer: 403 },
    call: (x, r) => x.as[r].req('POST', '/api/users', { username: `u${Math.random().toString(36).slice(2, 10)}`, password: PASSWORD, role: 'viewer' }),
  },
  'GET /users/:id': { expect: { admin: 200, viewer: 403 }, call: async (x, r) => x.as[r].req('GET', `/api/users/${await x.newUser()}`) },
  'PUT /users/:id': { expect: { admin: 200, viewer: 403 }, call: async (x, r) => x.as[r].req('PUT', `/api/users/${await x.newUser()}`, { role: 'admin' }) },
  'DELETE /users/:id': { expect: { admin: 204, viewer: 403 }, call: async (x, r) => x.as[r].req('DELETE', `/api/users/${await x.newUser()}`) },
  // API tokens (issue 14): every user manages their own; a viewer's token still only reads
  'GET /tokens': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/tokens') },
  'POST /tokens': { expect: { admin: 201, viewer: 201 }, call: (x, r) => x.as[r].req('POST', '/api/tokens', { name: 'ci' }) },
  'DELETE /tokens/:id': {
    expect: { admin: 204, viewer: 204 },
    call: async (x, r) => x.as[r].req('DELETE', `/api/tokens/${(await x.as[r].req('POST', '/api/tokens', { name: 'short-lived' })).json.id}`),
  },
  // audit log (issue 14): the whole log names users and failed logins, so admins only; a target's changes for all
  'GET /audit': { expect: { admin: 200, viewer: 403 }, call: (x, r) => x.as[r].req('GET', '/api/audit') },
  'GET /targets/:id/changes': { expect: { admin: 200, viewer: 200 }, call: async (x, r) => x.as[r].req('GET', `/api/targets/${await x.newTarget()}/changes`) },
  // configuration as code (issue 14): anyone may export; import is a write
  'GET /config': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/config?format=json') },
  'POST /config': {
    expect: { admin: 200, viewer: 403 },
    call: (x, r) => x.as[r].req('POST', '/api/config?mode=merge', { version: 1, targets: [{ ...target, key: `matrix-${r}` }] }),
  },
  'GET /nodes': { expect: { admin: 200, viewer: 200 }, call: (x, r) => x.as[r].req('GET', '/api/nodes') },
  'DELETE /nodes/:name': { expect: { admin: 204, viewer: 403 }, call: async (x, r) => x.as[r].req('DELETE', `/api/nodes/${await x.newDeadNode()}`) },
};

/** Each suite runs with session cookies and again with API tokens (issue 14: "the matrix also runs with tokens"). */
const AUTH = ['session', 'token'] as const;
const CASES = STORES.flatMap((store) => AUTH.map((auth) => ({ store, auth, name: store.name })));

describe.each(CASES)('roles on $name with $auth', ({ store, auth }) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let ctx: Ctx;

  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db, { now: () => NOW });
    const root = app.client();
    await root.login('admin', PW.admin);
    expect((await root.req('POST', '/api/users', { username: 'viewer', password: PASSWORD, role: 'viewer' })).status).toBe(201);
    const viewer = app.client();
    await viewer.login('viewer', PASSWORD);
    /** With tokens: clients that send only `Authorization: Bearer`, no cookie. */
    const byToken = async (session: Client) => {
      const c = app.client();
      const r = await session.req('POST', '/api/tokens', { name: 'matrix' });
      expect(r.status).toBe(201);
      c.bearer = r.json.token as string;
      return c;
    };
    const as = auth === 'token' ? { admin: await byToken(root), viewer: await byToken(viewer) } : { admin: root, viewer };
    let n = 0;
    ctx = {
      as,
      admin: root,
      fresh: () => app.client(),
      newTarget: async () => (await root.req('POST', '/api/targets', { ...target, name: `T${++n}` })).json.id as number,
      newUser: async () => (await root.req('POST', '/api/users', { username: `user${++n}`, password: PASSWORD, role: 'viewer' })).json.id as number,
      newChannel: async () => (await root.req('POST', '/api/channels', CHANNEL())).json.id as number,
      newWindow: async () => (await root.req('POST', '/api/maintenance', WINDOW)).json.id as number,
      newDeadNode: async () => {
        const name = `dead${++n}`;
        await registerNode(s.db, { name, location: 'default', version: 'test' }, 0);
        await s.db.run(SQL`UPDATE nodes SET heartbeat_at = heartbeat_at - 60000 WHERE name = ${name}`);
        return name;
      },
    };
  });
  afterAll(() => s.cleanup());

  it('the matrix names every route the app answers', () => {
    const routes = app.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.includes('*')).map((r) => `${r.method} ${r.path.slice(4)}`);
    expect([...new Set(routes)].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  for (const [route, c] of Object.entries(MATRIX)) {
    for (const role of ['admin', 'viewer'] as const) {
      it(`${route} as ${role} → ${c.expect[role]}`, async () => {
        const r = await c.call(ctx, role);
        expect(r.status, JSON.stringify((r as { json?: unknown }).json)).toBe(c.expect[role]);
        if (r.status === 403 && route !== 'POST /setup') expect((r as unknown as { json: { error: string } }).json.error).toBe('forbidden');
      });
    }
  }

  it('a write method on any other path is 403 for a viewer too (404 for an admin)', async () => {
    expect((await ctx.as.viewer.req('PATCH', '/api/targets/1')).status).toBe(403);
    expect((await ctx.as.viewer.req('POST', '/api/targets/1/anything')).status).toBe(403);
    expect((await ctx.as.admin.req('POST', '/api/targets/1/anything')).status).toBe(404);
  });

  it("a viewer's refused writes change nothing", async () => {
    const id = await ctx.newTarget();
    const before = (await ctx.admin.req('GET', `/api/targets/${id}`)).json;
    await ctx.as.viewer.req('PUT', `/api/targets/${id}`, { name: 'Hijacked', port: 1 });
    await ctx.as.viewer.req('DELETE', `/api/targets/${id}`);
    expect((await ctx.admin.req('GET', `/api/targets/${id}`)).json).toEqual(before);
    const users = (await ctx.admin.req('GET', '/api/users')).json.users.length;
    await ctx.as.viewer.req('POST', '/api/users', { username: 'sneaky', password: PASSWORD });
    const me = (await ctx.as.viewer.req('GET', '/api/me')).json as { id: number; role: string };
    expect(me.role).toBe('viewer');
    expect((await ctx.as.viewer.req('PUT', `/api/users/${me.id}`, { role: 'admin' })).status).toBe(403);
    expect((await ctx.admin.req('GET', '/api/users')).json.users).toHaveLength(users);
    expect((await ctx.admin.req('GET', `/api/users/${me.id}`)).json.role).toBe('viewer');
  });

  it.runIf(auth === 'session')('a role change applies to the next request of a logged-in user', async () => {
    const id = await ctx.newUser();
    const c = ctx.fresh();
    const name = (await ctx.admin.req('GET', `/api/users/${id}`)).json.username as string;
    await c.login(name, PASSWORD);
    expect((await c.req('POST', '/api/targets', target)).status).toBe(403);
    expect((await ctx.admin.req('PUT', `/api/users/${id}`, { role: 'admin' })).json.role).toBe('admin');
    expect((await c.req('GET', '/api/me')).json.role).toBe('admin');
    expect((await c.req('POST', '/api/targets', target)).status).toBe(201);
    expect((await ctx.admin.req('PUT', `/api/users/${id}`, { role: 'viewer' })).status).toBe(200);
    expect((await c.req('POST', '/api/targets', target)).status).toBe(403);
  });

  it.runIf(auth === 'session')('400 for an unknown role, per field', async () => {
    const r = await ctx.admin.req('POST', '/api/users', { username: 'x1', password: PASSWORD, role: 'root' });
    expect(r.status).toBe(400);
    expect(r.json.fields.role).toBe('Role must be admin or viewer.');
    expect((await ctx.admin.req('PUT', `/api/users/${await ctx.newUser()}`, { role: 'superuser' })).json.fields).toHaveProperty('role');
  });

  it.runIf(auth === 'session')('the last admin cannot be demoted (409), and two admins demoting each other leave one', async () => {
    const me = (await ctx.admin.req('GET', '/api/me')).json as { id: number };
    const users = (await ctx.admin.req('GET', '/api/users')).json.users as { id: number; role: string }[];
    // demote every other admin first: "admin" is then the last one
    for (const u of users) if (u.role === 'admin' && u.id !== me.id) expect((await ctx.admin.req('PUT', `/api/users/${u.id}`, { role: 'viewer' })).status).toBe(200);
    const r = await ctx.admin.req('PUT', `/api/users/${me.id}`, { role: 'viewer' });
    expect(r.status).toBe(409);
    expect(r.json.message).toMatch(/last admin/);
    expect((await ctx.admin.req('GET', '/api/me')).json.role).toBe('admin');

    const other = await ctx.newUser();
    await ctx.admin.req('PUT', `/api/users/${other}`, { role: 'admin' });
    const o = ctx.fresh();
    await o.login((await ctx.admin.req('GET', `/api/users/${other}`)).json.username, PASSWORD);
    const [a, b] = await Promise.all([ctx.admin.req('PUT', `/api/users/${other}`, { role: 'viewer' }), o.req('PUT', `/api/users/${me.id}`, { role: 'viewer' })]);
    expect([a.status, b.status].filter((st) => st === 200)).toHaveLength(1);
    expect([a.status, b.status].sort()).toEqual(expect.arrayContaining([200]));
    const admins = ((await s.db.all<{ role: string }>(SQL`SELECT role FROM users`)) ?? []).filter((u) => u.role === 'admin');
    expect(admins).toHaveLength(1);
  });

  it.runIf(auth === 'session')('ROOT_USER and setup create admins', async () => {
    await bootstrapUsers(s.db, { rootUser: { username: 'rootie', password: PASSWORD } }, pino({ level: 'silent' }), NOW);
    expect((await findUserByName(s.db, 'rootie'))?.role).toBe('admin');
    const fresh = await store.open();
    try {
      const setup = await testApp(fresh.db, { setupToken: 'tok', now: () => NOW });
      const r = await setup.client().req('POST', '/api/setup', { token: 'tok', username: 'first', password: PASSWORD });
      expect(r.status).toBe(201);
      expect(r.json.role).toBe('admin');
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('migration 007 makes every existing user an admin', () => {
  const opens: [string, () => Promise<{ db: Db; done(): Promise<void> } | null>][] = [
    [
      'sqlite',
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'netwatch-roles-'));
        const db = openSqlite(join(dir, 'netwatch.db'));
        return {
          db,
          done: async () => {
            await db.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    ],
    [
      'mysql',
      async () => {
        const fresh = await freshMysqlDatabase();
        if (!fresh) return null;
        const db = await openMysql(fresh.cfg);
        return {
          db,
          done: async () => {
            await db.close();
            await fresh.drop();
          },
        };
      },
    ],
  ];
  it.each(opens)('on %s', async (_name, open) => {
    const h = await open();
    if (!h) return void console.warn('no NETWATCH_TEST_MYSQL_URL: MySQL part of the 007 test not run');
    try {
      await migrate(
        h.db,
        listMigrations(h.db.dialect).filter((m) => m.version < 7),
      );
      await h.db.run(SQL`INSERT INTO users (username, password_hash, created_at, updated_at) VALUES (${'old'}, ${'x'}, ${NOW}, ${NOW})`);
      expect(await migrate(h.db)).toContain(7);
      expect((await findUserByName(h.db, 'old'))?.role).toBe('admin');
    } finally {
      await h.done();
    }
  });
});
