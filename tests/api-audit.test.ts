/**
 * Audit log (issue 14 §4) on every store: target, user and token changes, logins and failed logins
 * recorded with who (user, token name), when, from where and the fields changed (secrets masked);
 * GET /api/audit filters and pages; a target's changes; the purge actor keeps its own retention.
 */
import { start, stop } from 'nact';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnPurgers } from '../src/actors/purge.js';
import { MASK } from '../src/domain/audit-diff.js';
import { insertAudit } from '../src/store/audit.js';
import { testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const DAY = 86_400_000;
const target = { name: 'Spoke 7', host: '127.0.0.1', port: 8443, intervalSeconds: 10, retentionValue: 7, retentionUnit: 'day' };

describe.each(STORES)('audit log on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let now = Date.UTC(2031, 0, 1);
  let admin: ReturnType<typeof app.client>;
  const from = (addr: string) => ({ 'x-forwarded-for': addr });
  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db, { now: () => now, env: { NETWATCH_TRUST_PROXY: 'true' } });
    admin = app.client();
    await admin.login('admin', 'correct horse');
  });
  afterAll(() => s.cleanup());

  it("records a target's create, update (fields before → after) and delete, with who, when and from where", async () => {
    now += 1000;
    const t = (await admin.req('POST', '/api/targets', target, from('127.0.0.5'))).json;
    now += 1000;
    expect((await admin.req('PUT', `/api/targets/${t.id}`, { port: 9443, sourceAddress: '127.0.0.1' }, from('127.0.0.6'))).status).toBe(200);
    now += 1000;
    const changes = (await admin.req('GET', `/api/targets/${t.id}/changes`)).json;
    expect(changes.entries).toHaveLength(2);
    const [upd, created] = changes.entries;
    expect(upd).toMatchObject({ at: now - 1000, actor: 'admin', tokenName: null, client: '127.0.0.6', action: 'update', entity: 'target', entityId: t.id, targetId: t.id });
    expect(upd.changes).toEqual({ port: { before: 8443, after: 9443 }, sourceAddress: { before: null, after: '127.0.0.1' } });
    expect(created).toMatchObject({ action: 'create', client: '127.0.0.5', at: now - 2000 });
    expect(created.changes.name).toEqual({ before: null, after: 'Spoke 7' });
    expect(created.changes.enabled).toEqual({ before: null, after: true });
    expect((await admin.req('DELETE', `/api/targets/${t.id}`)).status).toBe(204);
    const del = (await admin.req('GET', `/api/audit?targetId=${t.id}`)).json.entries[0];
    expect(del).toMatchObject({ action: 'delete', targetId: t.id });
    expect(del.changes.port).toEqual({ before: 9443, after: null });
  });

  it('records users (password masked), logins and failed logins, and token use by token name', async () => {
    const u = (await admin.req('POST', '/api/users', { username: 'auditee', password: 'secret pass 1', role: 'viewer' })).json;
    await admin.req('PUT', `/api/users/${u.id}`, { password: 'secret pass 2', role: 'admin' });
    await app.client().req('POST', '/api/login', { username: 'auditee', password: 'wrong one!' }, from('127.0.0.66'));
    await app.client().req('POST', '/api/login', { username: 'auditee', password: 'secret pass 2' }, from('127.0.0.67'));
    const tok = (await admin.req('POST', '/api/tokens', { name: 'deploy bot' })).json;
    const bot = app.client();
    bot.bearer = tok.token;
    const t = (await bot.req('POST', '/api/targets', { ...target, name: 'By bot' })).json;
    await admin.req('DELETE', `/api/users/${u.id}`);

    const all = JSON.stringify((await admin.req('GET', '/api/audit?limit=500')).json);
    expect(all).not.toContain('secret pass');
    expect(all).not.toContain(tok.token);
    const entries = (await admin.req('GET', '/api/audit?limit=500')).json.entries as any[];
    const userEntries = entries.filter((e) => e.entity === 'user' && e.entityId === u.id);
    expect(userEntries.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
    expect(userEntries[1].changes).toEqual({ role: { before: 'viewer', after: 'admin' }, password: { before: null, after: MASK } });
    expect(userEntries[2].changes.password).toEqual({ before: null, after: MASK });
    expect(entries.find((e) => e.action === 'login_failed' && e.actor === 'auditee')).toMatchObject({ client: '127.0.0.66', actorUserId: null });
    expect(entries.find((e) => e.action === 'login' && e.actor === 'auditee')).toMatchObject({ client: '127.0.0.67', actorUserId: u.id });
    expect(entries.find((e) => e.entity === 'token' && e.action === 'create')).toMatchObject({ actor: 'admin', entityId: tok.id, changes: { name: { before: null, after: 'deploy bot' } } });
    expect(entries.find((e) => e.entity === 'target' && e.entityId === t.id)).toMatchObject({ actor: 'admin', tokenName: 'deploy bot', action: 'create' });
  });

  it('does not record an update that changed nothing; records setup of the first user', async () => {
    const t = (await admin.req('POST', '/api/targets', { ...target, name: 'Same' })).json;
    expect((await admin.req('PUT', `/api/targets/${t.id}`, { port: target.port })).status).toBe(200);
    expect((await admin.req('GET', `/api/targets/${t.id}/changes`)).json.entries.map((e: { action: string }) => e.action)).toEqual(['create']);
    const fresh = await store.open();
    try {
      const setup = await testApp(fresh.db, { setupToken: 'tok', now: () => now });
      expect((await setup.client().req('POST', '/api/setup', { token: 'tok', username: 'first', password: 'first password' })).status).toBe(201);
      const c = setup.client();
      await c.login('first', 'first password');
      const entries = (await c.req('GET', '/api/audit')).json.entries;
      expect(entries.map((e: { action: string; entity: string; actor: string }) => `${e.action} ${e.entity} ${e.actor}`)).toEqual(['login session first', 'create user first']);
    } finally {
      await fresh.cleanup();
    }
  });

  it('a change whose audit entry cannot be stored is rolled back (no change without its record), for every audited kind', async () => {
    const t = (await admin.req('POST', '/api/targets', { ...target, name: 'Kept' })).json;
    const u = (await admin.req('POST', '/api/users', { username: 'kept_user', password: 'kept password 1', role: 'viewer' })).json;
    const tok = (await admin.req('POST', '/api/tokens', { name: 'kept token' })).json;
    const ch = (await admin.req('POST', '/api/channels', { name: 'kept hook', kind: 'ntfy', config: { url: 'http://127.0.0.1:9/kept' } })).json;
    const state = async () => ({
      targets: (await admin.req('GET', '/api/targets')).json.targets.map((x: any) => `${x.name}:${x.port}`).sort(),
      users: (await admin.req('GET', '/api/users')).json.users,
      tokens: (await admin.req('GET', '/api/tokens')).json.tokens.map((x: any) => x.name),
      channels: (await admin.req('GET', '/api/channels')).json.channels.map((x: any) => `${x.name}:${x.isDefault}`),
      targetChannels: (await admin.req('GET', `/api/targets/${t.id}/channels`)).json.channelIds,
    });
    const was = await state();
    const file = `version: 1\ntargets:\n  - name: Imported\n    host: 127.0.0.1\n    port: 7000\n    intervalSeconds: 10\n    retentionValue: 7\n    retentionUnit: day\n`;
    await s.db.run(SQL`ALTER TABLE audit_log RENAME TO audit_log_away`);
    try {
      const statuses = {
        targetCreate: (await admin.req('POST', '/api/targets', { ...target, name: 'Unrecorded' })).status,
        targetUpdate: (await admin.req('PUT', `/api/targets/${t.id}`, { port: 1 })).status,
        targetDelete: (await admin.req('DELETE', `/api/targets/${t.id}`)).status,
        targetChannels: (await admin.req('PUT', `/api/targets/${t.id}/channels`, { channelIds: [ch.id] })).status,
        userCreate: (await admin.req('POST', '/api/users', { username: 'unrecorded', password: 'unrecorded pw 1' })).status,
        userUpdate: (await admin.req('PUT', `/api/users/${u.id}`, { username: 'renamed', role: 'admin', password: 'changed password 2' })).status,
        userDelete: (await admin.req('DELETE', `/api/users/${u.id}`)).status,
        tokenCreate: (await admin.req('POST', '/api/tokens', { name: 'unrecorded' })).status,
        tokenDelete: (await admin.req('DELETE', `/api/tokens/${tok.id}`)).status,
        channelCreate: (await admin.req('POST', '/api/channels', { name: 'unrecorded', kind: 'ntfy', config: { url: 'http://127.0.0.1:9/x' } })).status,
        channelUpdate: (await admin.req('PUT', `/api/channels/${ch.id}`, { name: 'kept hook', kind: 'ntfy', isDefault: true, config: { url: 'http://127.0.0.1:9/y' } })).status,
        channelDelete: (await admin.req('DELETE', `/api/channels/${ch.id}`)).status,
        import: (await admin.req('POST', '/api/config', file, { 'content-type': 'application/yaml' })).status,
      };
      expect(Object.entries(statuses).filter(([, v]) => v !== 503)).toEqual([]);
    } finally {
      await s.db.run(SQL`ALTER TABLE audit_log_away RENAME TO audit_log`);
    }
    expect(await state()).toEqual(was);
    // the user's password did not change either: the old one still logs in
    await app.client().login('kept_user', 'kept password 1');
  });

  it('first-run setup rolls back when its audit entry cannot be stored', async () => {
    const fresh = await store.open();
    try {
      const setup = await testApp(fresh.db, { setupToken: 'tok', now: () => now });
      await fresh.db.run(SQL`ALTER TABLE audit_log RENAME TO audit_log_away`);
      expect((await setup.client().req('POST', '/api/setup', { token: 'tok', username: 'first', password: 'first password' })).status).toBe(503);
      await fresh.db.run(SQL`ALTER TABLE audit_log_away RENAME TO audit_log`);
      expect((await setup.client().req('GET', '/api/setup')).json).toEqual({ required: true });
      expect((await setup.client().req('POST', '/api/setup', { token: 'tok', username: 'first', password: 'first password' })).status).toBe(201);
    } finally {
      await fresh.cleanup();
    }
  });

  it('filters by time, actor and target, and pages by cursor without gaps or repeats', async () => {
    const base = Date.UTC(2030, 0, 1);
    for (let i = 0; i < 7; i++) {
      await insertAudit(s.db, {
        at: base + i * 1000,
        actor: i % 2 ? 'alice' : 'bob',
        actorUserId: null,
        tokenName: null,
        client: '127.0.0.1',
        action: 'update',
        entity: 'target',
        entityId: 900 + (i % 3),
        targetId: 900 + (i % 3),
        changes: { port: { before: i, after: i + 1 } },
      });
    }
    const q = `from=${base}&to=${base + 7000}`;
    const ids: number[] = [];
    let next: number | null = null;
    do {
      const r: any = (await admin.req('GET', `/api/audit?${q}&limit=3${next ? `&before=${next}` : ''}`)).json;
      expect(r.entries.length).toBeLessThanOrEqual(3);
      ids.push(...r.entries.map((e: any) => e.id));
      next = r.next;
    } while (next !== null);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect((await admin.req('GET', `/api/audit?${q}&actor=alice`)).json.entries.map((e: any) => e.at - base)).toEqual([5000, 3000, 1000]);
    expect((await admin.req('GET', `/api/audit?from=${base + 2000}&to=${base + 5000}&targetId=900`)).json.entries.map((e: any) => e.at - base)).toEqual([3000]);
  });

  it('400 per field for bad filters', async () => {
    const r = await admin.req('GET', '/api/audit?from=abc&limit=0&to=5');
    expect(r.status).toBe(400);
    expect(Object.keys(r.json.fields).sort()).toEqual(['from', 'limit']);
    expect((await admin.req('GET', '/api/audit?from=10&to=5')).json.fields).toEqual({ to: 'from must be before to.' });
  });

  it('the purge actor removes entries past the audit retention and keeps the rest', async () => {
    const at = Date.UTC(2029, 0, 1);
    const entry = { actor: 'old', actorUserId: null, tokenName: null, client: '127.0.0.1', action: 'update', entity: 'target', entityId: 1, targetId: 777, changes: null } as const;
    await insertAudit(s.db, { ...entry, at: at - 31 * DAY });
    await insertAudit(s.db, { ...entry, at: at - 29 * DAY });
    const system = start();
    const p = spawnPurgers(system, s.db, pino({ level: 'silent' }), 60_000, () => at, 30 * DAY);
    try {
      await waitFor(async () => (await admin.req('GET', '/api/audit?targetId=777')).json.entries.length === 1);
      expect((await admin.req('GET', '/api/audit?targetId=777')).json.entries[0].at).toBe(at - 29 * DAY);
    } finally {
      p.stopTimers();
      stop(system);
    }
  });
});
