/**
 * Configuration as code (issue 14 §3) on every store: export (YAML and JSON), import in merge and
 * replace mode, dry run, identity by key (a rename keeps the target's id and so its history) or
 * name + host + port, all or nothing (every entry's errors by path; a database failure mid-import
 * leaves nothing applied), idempotence, and the round trip across stores with false, null and
 * minimum/maximum values.
 */
import { SQL } from 'sql-template-strings';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const YAML_TYPE = { 'content-type': 'application/yaml' };
/** Targets at the edges of every rule: minimum and maximum values, false, null and every default spelled out. */
const EDGES = [
  {
    key: 'edge-max',
    name: 'Max',
    host: '127.0.0.1',
    port: 65535,
    intervalSeconds: 86400,
    timeoutMs: 60000,
    retentionValue: 100000,
    retentionUnit: 'year',
    enabled: false,
    sourceAddress: '127.0.0.1',
    sourcePortMin: 65535,
    sourcePortMax: 65535,
    closeMode: 'rst',
    addressFamily: 'ipv4',
    addressPolicy: 'first',
    failureThreshold: 100,
    recoveryThreshold: 100,
    locations: ['hub-b', 'hub-a', 'z.9_x-1'],
  },
  {
    key: 'edge-min',
    name: 'Min',
    host: '::1',
    port: 1,
    intervalSeconds: 1,
    timeoutMs: 100,
    retentionValue: 1,
    retentionUnit: 'minute',
    enabled: true,
    sourceAddress: null,
    sourcePortMin: null,
    sourcePortMax: null,
    closeMode: 'fin',
    addressFamily: 'any',
    addressPolicy: 'fallback',
    failureThreshold: 1,
    recoveryThreshold: 1,
    locations: [],
  },
  {
    name: 'No key, default timeout',
    host: 'localhost',
    port: 8080,
    intervalSeconds: 10,
    timeoutMs: null,
    retentionValue: 7,
    retentionUnit: 'day',
    enabled: true,
    sourceAddress: null,
    sourcePortMin: null,
    sourcePortMax: null,
    closeMode: 'fin',
    addressFamily: 'any',
    addressPolicy: 'fallback',
    failureThreshold: 3,
    recoveryThreshold: 1,
    locations: ['default'],
  },
];
const FILE = { version: 1, targets: EDGES };
const base = { host: '127.0.0.1', intervalSeconds: 10, retentionValue: 7, retentionUnit: 'day' };

/** Export files of every store, to compare across them. */
const exported: Record<string, string> = {};
/** Export files with users (`?users=true`) of every store. */
const exportedUsers: Record<string, string> = {};
/** A users section: the test app's own admin, a second admin, a viewer (unicode name). */
const USERS = [
  { username: 'admin', role: 'admin' },
  { username: 'ops-admin', role: 'admin' },
  { username: 'émile.viewer', role: 'viewer' },
];

describe.each(STORES)('configuration as code on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let admin: ReturnType<typeof app.client>;
  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db);
    admin = app.client();
    await admin.login('admin', 'correct horse');
  });
  afterAll(() => s.cleanup());
  const post = (query: string, body: unknown, headers: Record<string, string> = {}) => admin.req('POST', `/api/config?${query}`, body, headers);

  it('imports a file with edge values and exports it back identical (YAML and JSON), then the second import changes nothing', async () => {
    const r = await post('mode=replace', YAML.stringify(FILE), YAML_TYPE);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.summary).toEqual({ create: 3, update: 0, delete: 0, unchanged: 0 });
    const json = await admin.req('GET', '/api/config?format=json');
    // file order: keyed targets by key, then the rest by name
    expect(json.json).toEqual(FILE);
    const yaml = await admin.req('GET', '/api/config');
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(YAML.parse(yaml.json as string)).toEqual(FILE);
    exported[store.name] = yaml.json as string;
    const again = await post('mode=replace', yaml.json, YAML_TYPE);
    expect(again.json.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 3 });
    expect((await admin.req('GET', '/api/config')).json).toBe(yaml.json);
  });

  it('gives the same export text on every store (round trip across stores)', () => {
    const texts = new Set(Object.values(exported));
    expect(texts.size).toBe(1);
  });

  it('users: exported only when asked, without passwords; imported by username (dry run first); a new user cannot log in until an admin sets a password; idempotent; same text on every store', async () => {
    const noUsers = (await admin.req('GET', '/api/config?format=json')).json;
    expect(noUsers).not.toHaveProperty('users');
    const file = { ...noUsers, users: USERS };
    const dry = await post('mode=merge&dryRun=true', file);
    expect(dry.status, JSON.stringify(dry.json)).toBe(200);
    expect(dry.json.users).toEqual({
      summary: { create: 2, update: 0, unchanged: 1 },
      create: [
        { username: 'ops-admin', role: 'admin', passwordSet: false },
        { username: 'émile.viewer', role: 'viewer', passwordSet: false },
      ],
      update: [],
      unchanged: [{ id: expect.any(Number), username: 'admin' }],
    });
    expect((await admin.req('GET', '/api/users')).json.users).toHaveLength(1); // the dry run changed nothing
    const real = await post('mode=replace', file);
    expect(real.json.users).toEqual(dry.json.users);
    expect(real.json.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    // no password travels: the new users exist but no password logs them in
    const ops = (await admin.req('GET', '/api/users?q=ops-admin')).json.users[0];
    expect(ops).toMatchObject({ username: 'ops-admin', role: 'admin' });
    for (const guess of ['', 'ops-admin', 'password', 'changeme1']) expect((await app.client().req('POST', '/api/login', { username: 'ops-admin', password: guess })).status).not.toBe(204);
    expect((await admin.req('PUT', `/api/users/${ops.id}`, { password: 'ops admin password 1' })).status).toBe(200);
    await app.client().login('ops-admin', 'ops admin password 1');
    // export with users: sorted by username, username and role only
    const yaml = (await admin.req('GET', '/api/config?users=true')).json as string;
    expect(yaml).not.toMatch(/password|hash|scrypt/i);
    expect(YAML.parse(yaml).users).toEqual([...USERS].sort((a, b) => (a.username < b.username ? -1 : 1)));
    exportedUsers[store.name] = yaml;
    // idempotent; a role change is an update; users the file omits are kept
    expect((await post('mode=replace', yaml, YAML_TYPE)).json.users.summary).toEqual({ create: 0, update: 0, unchanged: 3 });
    const demote = await post('mode=merge', { ...noUsers, users: [{ username: 'OPS-ADMIN', role: 'viewer' }] });
    expect(demote.json.users.update).toEqual([{ id: ops.id, username: 'OPS-ADMIN', changes: { username: { before: 'ops-admin', after: 'OPS-ADMIN' }, role: { before: 'admin', after: 'viewer' } } }]);
    expect((await admin.req('GET', '/api/users')).json.users).toHaveLength(3);
    expect((await post('mode=merge', { ...noUsers, users: [{ username: 'ops-admin', role: 'admin' }] })).status).toBe(200);
    // users are admins' to see: a viewer exports targets but not users
    const viewer = app.client();
    await admin.req('PUT', `/api/users/${ops.id}`, { role: 'viewer' });
    await viewer.login('ops-admin', 'ops admin password 1');
    expect((await viewer.req('GET', '/api/config?format=json')).status).toBe(200);
    expect((await viewer.req('GET', '/api/config?users=true')).status).toBe(403);
    await admin.req('PUT', `/api/users/${ops.id}`, { role: 'admin' });
    const audit = (await admin.req('GET', '/api/audit?limit=50')).json.entries.filter((e: { entity: string }) => e.entity === 'user');
    expect(audit.slice(0, 2).map((e: { action: string; entityId: number }) => `${e.action} ${e.entityId}`)).toEqual([`update ${ops.id}`, `update ${ops.id}`]);
  });

  it('users: problems are reported by path, and a file that leaves no admin is refused; nothing changes', async () => {
    const targets = (await admin.req('GET', '/api/config?format=json')).json.targets;
    const before = (await admin.req('GET', '/api/users')).json;
    const bad = await post('mode=merge', {
      version: 1,
      targets,
      users: [{ username: 'fine', role: 'viewer' }, { username: 'bad name!', role: 'root' }, { username: 'FINE' }, { username: 'x', role: 'viewer', password: 'secret password' }, 'nope'],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.fields).toEqual({
      'users.1.username': 'Username may hold letters, digits and . _ @ - only.',
      'users.1.role': 'Role must be admin or viewer.',
      'users.2.username': 'Same username as users.0.',
      'users.3.password': 'Passwords are not imported: set them on the Users page.',
      'users.4': 'Each user must be an object with username and role.',
    });
    expect((await post('mode=merge', { version: 1, targets, users: {} })).json.fields).toEqual({ users: 'users must be a list (it may be empty).' });
    const admins = before.users.filter((u: { role: string }) => u.role === 'admin');
    const none = await post('mode=merge', {
      version: 1,
      targets,
      users: [...admins.map((u: { username: string }) => ({ username: u.username, role: 'viewer' })), { username: 'new-admin', role: 'admin' }],
    });
    expect(none.status).toBe(400);
    expect(none.json.fields.users).toMatch(/no admin who can log in/);
    expect((await admin.req('GET', '/api/users')).json).toEqual(before);
  });

  it('gives the same export text with users on every store', () => {
    expect(new Set(Object.values(exportedUsers)).size).toBe(1);
  });

  it('dry run returns the diff and changes nothing; the real run applies exactly it', async () => {
    const before = (await admin.req('GET', '/api/config')).json;
    const file = { version: 1, targets: [{ ...EDGES[0], port: 443, enabled: true }, EDGES[2], { ...base, name: 'New', port: 22 }] };
    const dry = await post('mode=replace&dryRun=true', file);
    expect(dry.status).toBe(200);
    expect(dry.json.dryRun).toBe(true);
    expect(dry.json.summary).toEqual({ create: 1, update: 1, delete: 1, unchanged: 1 });
    expect(dry.json.update[0].changes).toEqual({ port: { before: 65535, after: 443 }, enabled: { before: false, after: true } });
    expect(dry.json.delete.map((d: { key: string }) => d.key)).toEqual(['edge-min']);
    expect((await admin.req('GET', '/api/config')).json).toBe(before);
    const real = await post('mode=replace', file);
    expect({ ...real.json, dryRun: true }).toEqual({ ...dry.json, create: dry.json.create, dryRun: true });
    const now = (await admin.req('GET', '/api/config?format=json')).json;
    expect(now.targets.map((t: { name: string }) => t.name).sort()).toEqual(['Max', 'New', 'No key, default timeout']);
  });

  it('a renamed target with a key keeps its id (and so its history); merge keeps targets the file omits', async () => {
    const id = (await s.db.get<{ id: number }>(SQL`SELECT id FROM targets WHERE config_key = ${'edge-max'}`))!.id;
    const r = await post('mode=merge', { version: 1, targets: [{ ...EDGES[0], name: 'Max renamed', host: '127.0.0.2' }] });
    expect(r.json.summary).toEqual({ create: 0, update: 1, delete: 0, unchanged: 0 });
    expect(r.json.update[0]).toMatchObject({ id: Number(id), changes: { name: { before: 'Max', after: 'Max renamed' }, host: { before: '127.0.0.1', after: '127.0.0.2' } } });
    expect((await admin.req('GET', `/api/targets/${id}`)).json.name).toBe('Max renamed');
    expect((await admin.req('GET', '/api/targets')).json.targets).toHaveLength(3);
    const changes = (await admin.req('GET', `/api/targets/${id}/changes`)).json.entries;
    expect(changes[0].changes.name).toEqual({ before: 'Max', after: 'Max renamed' });
    // a key given to a target that had none adopts it (matched by name + host + port)
    const plain = (await admin.req('GET', '/api/config?format=json')).json.targets.find((t: { name: string }) => t.name === 'New');
    const adopt = await post('mode=merge', { version: 1, targets: [{ ...plain, key: 'new-one' }] });
    expect(adopt.json.summary).toMatchObject({ create: 0, update: 1 });
    expect(adopt.json.update[0].changes).toEqual({ key: { before: null, after: 'new-one' } });
  });

  it('rejects the whole file with every entry’s errors by path, and changes nothing', async () => {
    const before = (await admin.req('GET', '/api/config')).json;
    const bad = {
      version: 1,
      targets: [
        { ...base, name: 'Fine', port: 1000 },
        { ...base, name: 'Bad port', port: 70000 },
        { ...base, name: '', port: 1001, timeoutMs: 20000, extra: true },
        { ...base, key: 'dup', name: 'A', port: 1 },
        { ...base, key: 'dup', name: 'B', port: 2 },
        { ...base, key: 'bad key!', name: 'C', port: 3 },
        'nope',
      ],
    };
    const r = await post('mode=replace', bad);
    expect(r.status).toBe(400);
    expect(r.json.fields).toEqual({
      'targets.1.port': 'Port must be at most 65,535.',
      'targets.2.name': 'Name is required.',
      'targets.2.timeoutMs': 'Timeout must not exceed the interval.',
      'targets.2.extra': 'Unknown field.',
      'targets.4.key': 'Same key as targets.3.',
      'targets.5.key': 'Key may hold letters, digits and . _ : / - only.',
      'targets.6': 'Each target must be an object.',
    });
    expect(r.json.message).toMatch(/nothing was changed/);
    expect((await post('', { version: 2, targets: {} })).json.fields).toEqual({ version: 'version must be 1.', targets: 'targets must be a list (it may be empty).' });
    const notHere = await post('', { version: 1, targets: [{ ...base, name: 'Src', port: 5, sourceAddress: '192.0.2.1' }] });
    expect(Object.keys(notHere.json.fields)).toEqual(['targets.0.sourceAddress']);
    expect((await post('', 'version: 1\ntargets: [\n', YAML_TYPE)).json.fields._).toMatch(/not valid YAML/);
    expect((await post('', 'version: 1\nversion: 1\ntargets: []\n', YAML_TYPE)).status).toBe(400);
    expect((await post('', '{"version":1,', { 'content-type': 'application/json' })).json.fields._).toMatch(/not valid JSON/);
    expect(await post('', 'x', { 'content-type': 'text/csv' })).toMatchObject({ status: 415, json: { error: 'unsupported_media_type', message: expect.stringMatching(/YAML/) } });
    expect((await post('mode=sideways&dryRun=maybe', FILE)).json.fields).toEqual({ mode: 'mode must be merge or replace.', dryRun: 'dryRun must be true or false.' });
    expect((await admin.req('GET', '/api/config')).json).toBe(before);
  });

  it('a database failure mid-import leaves nothing applied', async () => {
    const before = (await admin.req('GET', '/api/config')).json;
    const trigger =
      s.db.dialect === 'sqlite'
        ? "CREATE TRIGGER boom BEFORE INSERT ON targets WHEN NEW.name = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;"
        : "CREATE TRIGGER boom BEFORE INSERT ON targets FOR EACH ROW BEGIN IF NEW.name = 'Boom' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom'; END IF; END;";
    await s.db.run(SQL``.append(trigger.replace(/;$/, '')));
    try {
      const r = await post('mode=replace', {
        version: 1,
        targets: [
          { ...base, name: 'First', port: 11 },
          { ...base, name: 'Boom', port: 12 },
        ],
      });
      expect(r.status).toBeGreaterThanOrEqual(500);
      expect((await admin.req('GET', '/api/config')).json).toBe(before);
    } finally {
      await s.db.run(SQL`DROP TRIGGER boom`);
    }
  });

  it('keeps names that look like other YAML values as text through export and import', async () => {
    const names = ['true', 'null', '0123', '1e3', 'x: y #z', ' lead and trail ', '- dash', '"quoted"', 'émile – ✓', '~', 'on'];
    const file = { version: 1, targets: names.map((name, i) => ({ ...EDGES[2], key: `odd-${String(i).padStart(2, '0')}`, name, port: 30000 + i })) };
    expect((await post('mode=merge', file)).status).toBe(200);
    const yaml = (await admin.req('GET', '/api/config')).json as string;
    const parsed = YAML.parse(yaml) as { targets: { key?: string; name: string }[] };
    expect(parsed.targets.filter((t) => t.key?.startsWith('odd-')).map((t) => t.name)).toEqual(names);
    expect((await post('mode=merge', yaml, YAML_TYPE)).json.summary).toMatchObject({ create: 0, update: 0 });
  });

  it('takes a file far larger than the 64 KiB limit other requests keep', async () => {
    const many = { version: 1, targets: Array.from({ length: 1500 }, (_, i) => ({ ...base, key: `bulk-${i}`, name: `Bulk ${i}`, port: 40000 + i })) };
    expect(JSON.stringify(many).length).toBeGreaterThan(128 * 1024);
    const dry = await post('mode=merge&dryRun=true', many);
    expect(dry.status).toBe(200);
    expect(dry.json.summary.create).toBe(1500);
    expect((await admin.req('POST', '/api/targets', { ...base, name: 'x'.repeat(70 * 1024), port: 1 })).status).toBe(413);
  });

  it('an entry without a key matches a keyed target of the same name, host and port (its history stays; the key is cleared), unless the file names that key', async () => {
    const t = { key: 'keyless-match', name: 'Keyless match', host: '127.0.0.3', port: 7, intervalSeconds: 60, retentionValue: 1, retentionUnit: 'day' };
    expect((await post('mode=merge', { version: 1, targets: [t] })).status).toBe(200);
    const id = (await s.db.get<{ id: number }>(SQL`SELECT id FROM targets WHERE config_key = ${'keyless-match'}`))!.id;
    const { key: _key, ...plain } = t;
    const dry = await post('mode=merge&dryRun=true', { version: 1, targets: [plain] });
    expect(dry.status).toBe(200);
    expect(dry.json.summary).toMatchObject({ create: 0, update: 1 });
    expect(dry.json.update[0]).toMatchObject({ id: Number(id), changes: { key: { before: 'keyless-match', after: null } } });
    // with its key named elsewhere in the file, the target stays that entry's; the key-less entry is a new target
    const claimed = await post('mode=merge&dryRun=true', { version: 1, targets: [{ ...t, name: 'Keyless renamed' }, plain] });
    expect(claimed.status).toBe(200);
    expect(claimed.json.summary).toMatchObject({ create: 1, update: 1 });
  });

  it('YAML: a file sharing one value through 150 aliases is read; an alias bomb is a 400, not a 500', async () => {
    const lines = ['version: 1', 'targets:', '  - {name: alias-0, host: &h 127.0.0.1, port: 1, intervalSeconds: 60, retentionValue: 1, retentionUnit: day}'];
    for (let i = 1; i < 150; i++) lines.push(`  - {name: alias-${i}, host: *h, port: 1, intervalSeconds: 60, retentionValue: 1, retentionUnit: day}`);
    const ok = await post('mode=merge&dryRun=true', lines.join('\n'), YAML_TYPE);
    expect(ok.status).toBe(200);
    expect(ok.json.summary.create).toBe(150);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill('*' + String.fromCharCode(97 + i))
          .join(', ')}]`,
      );
    const r = await post('mode=merge&dryRun=true', bomb.join('\n'), YAML_TYPE);
    expect(r.status).toBe(400);
    expect(r.json.fields._).toMatch(/aliases/);
  });

  it('a file of many broken entries gets at most 500 problems and a note that the rest was not checked', async () => {
    const r = await post('mode=merge&dryRun=true', { version: 1, targets: Array.from({ length: 5_000 }, () => ({})) });
    expect(r.status).toBe(400);
    const fields = Object.keys(r.json.fields);
    expect(fields.length).toBeGreaterThanOrEqual(500);
    expect(fields.length).toBeLessThan(1_000);
    expect(r.json.fields._).toMatch(/More than 500 problems/);
  });

  it('an admin created by an import (no usable password) does not count as the last admin', async () => {
    const users = (await admin.req('GET', '/api/users')).json.users as { id: number; username: string; role: string }[];
    const made = await post('mode=merge', { version: 1, targets: (await admin.req('GET', '/api/config?format=json')).json.targets, users: [{ username: 'imported-admin', role: 'admin' }] });
    expect(made.status).toBe(200);
    const admins = users.filter((u) => u.role === 'admin');
    if (admins.length === 1) {
      // the one admin who can log in can be neither demoted nor deleted, nor demoted by a file
      expect((await admin.req('PUT', `/api/users/${admins[0]!.id}`, { role: 'viewer' })).status).toBe(409);
      const demote = await post('mode=merge&dryRun=true', { version: 1, targets: [], users: [{ username: admins[0]!.username, role: 'viewer' }] });
      expect(demote.status).toBe(400);
      expect(demote.json.fields.users).toMatch(/no admin who can log in/);
    }
    const imported = ((await admin.req('GET', '/api/users')).json.users as { id: number; username: string }[]).find((u) => u.username === 'imported-admin')!;
    // it cannot log in, and it can itself be demoted and deleted freely
    expect((await admin.req('PUT', `/api/users/${imported.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await admin.req('DELETE', `/api/users/${imported.id}`)).status).toBe(204);
  });

  it('records an import in the audit log', async () => {
    const entries = (await admin.req('GET', '/api/audit?limit=500')).json.entries as { action: string; entity: string; changes: Record<string, unknown> }[];
    const imports = entries.filter((e) => e.action === 'import');
    expect(imports.length).toBeGreaterThanOrEqual(4);
    expect(imports.at(-1)!.changes).toEqual({ mode: 'replace', create: 3, update: 0, delete: 0, unchanged: 0 });
  });
});
