/**
 * Configuration as code, channels section (issue 14 §3, domain/config-channels.ts) on every store:
 * export with `?channels=true` (admins) without secrets, targets' channels by name; import by
 * channel name with a dry run first; a new channel has no secrets (reported, and not notified);
 * a stored channel keeps its secrets; idempotence; the round trip across stores (the second store
 * imports the first store's export); bad entries by path with nothing changed; audit.
 */
import { SQL } from 'sql-template-strings';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';
import { secretBox } from '../src/notify/secret-box.js';
import { createChannel } from '../src/store/channels.js';

const YAML_TYPE = { 'content-type': 'application/yaml' };
const SECRET = 'a-very-secret-signing-key-0123';
const target = (name: string, channels: string[]) => ({
  name,
  host: '127.0.0.1',
  port: 7000,
  intervalSeconds: 10,
  timeoutMs: null,
  retentionValue: 7,
  retentionUnit: 'day',
  enabled: false,
  sourceAddress: null,
  sourcePortMin: null,
  sourcePortMax: null,
  closeMode: 'fin',
  addressFamily: 'any',
  addressPolicy: 'fallback',
  failureThreshold: 3,
  recoveryThreshold: 1,
  locations: [],
  channels,
});
/** The file every store ends with (keys of each config in sorted order, as exported). */
const FILE = {
  version: 1,
  targets: [target('db1', ['mail', 'ops hook']), target('db2', [])],
  channels: [
    { name: 'mail', kind: 'email', isDefault: false, config: { from: 'nw@example.com', host: 'smtp.example.com', port: 587, security: 'starttls', to: ['ops@example.com'], username: 'nw' } },
    { name: 'ops hook', kind: 'webhook', isDefault: true, config: { url: 'https://hooks.example.com/nw' } },
  ],
};

/** The export (YAML, channels=true) of every store. */
const exported: Record<string, string> = {};

describe.each(STORES)('configuration channels on $name', (store) => {
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
  const channels = async () => (await admin.req('GET', '/api/channels')).json.channels as { id: number; name: string; secretsSet: string[]; config: Record<string, unknown> }[];

  it('dry run lists the channels to create (with the secrets they lack) and changes nothing; the import creates them without secrets and links the targets', async () => {
    // the other store's export when there is one (round trip across stores), else the file
    const source = Object.values(exported)[0] ?? YAML.stringify(FILE);
    const dry = await post('mode=replace&dryRun=true', source, YAML_TYPE);
    expect(dry.status, JSON.stringify(dry.json)).toBe(200);
    expect(dry.json.channels).toEqual({
      summary: { create: 2, update: 0, unchanged: 0 },
      create: [
        { ...FILE.channels[0], secretsMissing: [] },
        { ...FILE.channels[1], secretsMissing: ['secret'] },
      ],
      update: [],
      unchanged: [],
    });
    expect(await channels()).toEqual([]);
    const r = await post('mode=replace', source, YAML_TYPE);
    expect(r.json.summary).toEqual({ create: 2, update: 0, delete: 0, unchanged: 0 });
    const stored = await channels();
    expect(stored.map((c) => [c.name, c.secretsSet])).toEqual([
      ['mail', []],
      ['ops hook', []],
    ]);
    const db1 = (await admin.req('GET', '/api/targets')).json.targets.find((t: { name: string }) => t.name === 'db1');
    expect((await admin.req('GET', `/api/targets/${db1.id}/channels`)).json.channelIds).toEqual(stored.map((c) => c.id));
  });

  it('exports channels only when asked, without secrets, the same on every store; a stored channel keeps its secret through an idempotent re-import', async () => {
    const hook = (await channels()).find((c) => c.name === 'ops hook')!;
    const put = await admin.req('PUT', `/api/channels/${hook.id}`, { name: 'ops hook', kind: 'webhook', isDefault: true, config: { url: 'https://hooks.example.com/nw', secret: SECRET } });
    expect(put.json.secretsSet).toEqual(['secret']);
    expect((await admin.req('GET', '/api/config?format=json')).json).not.toHaveProperty('channels');
    expect((await admin.req('GET', '/api/config?format=json')).json.targets[0]).not.toHaveProperty('channels');
    const yaml = (await admin.req('GET', '/api/config?channels=true')).json as string;
    expect(yaml).not.toContain(SECRET);
    expect(YAML.parse(yaml)).toEqual(FILE);
    exported[store.name] = yaml;
    expect(new Set(Object.values(exported)).size).toBe(1);
    const again = await post('mode=replace', yaml, YAML_TYPE);
    expect(again.json.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 2 });
    expect(again.json.channels.summary).toEqual({ create: 0, update: 0, unchanged: 2 });
    expect((await channels()).find((c) => c.name === 'ops hook')!.secretsSet).toEqual(['secret']);
    expect((await admin.req('GET', '/api/config?channels=true')).json).toBe(yaml);
  });

  it("updates a channel and a target's channels by name (dry run first), keeping the secret; channels the file omits stay; audited", async () => {
    const file = structuredClone(FILE);
    file.channels = [{ ...FILE.channels[1]!, isDefault: false, config: { url: 'https://hooks.example.com/v2' } }];
    file.targets[0]!.channels = ['ops hook'];
    const dry = await post('mode=merge&dryRun=true', file);
    expect(dry.json.channels.update).toEqual([
      {
        id: expect.any(Number),
        name: 'ops hook',
        secretsMissing: [],
        changes: { isDefault: { before: true, after: false }, config: { before: { url: 'https://hooks.example.com/nw' }, after: { url: 'https://hooks.example.com/v2' } } },
      },
    ]);
    expect(dry.json.update).toEqual([{ id: expect.any(Number), key: null, name: 'db1', changes: { channels: { before: ['mail', 'ops hook'], after: ['ops hook'] } } }]);
    expect(YAML.parse((await admin.req('GET', '/api/config?channels=true')).json as string)).toEqual(FILE);
    expect((await post('mode=merge', file)).status).toBe(200);
    const after = YAML.parse((await admin.req('GET', '/api/config?channels=true')).json as string);
    expect(after.channels.map((c: { name: string }) => c.name)).toEqual(['mail', 'ops hook']);
    expect(after.targets[0].channels).toEqual(['ops hook']);
    expect((await channels()).find((c) => c.name === 'ops hook')!.secretsSet).toEqual(['secret']);
    const audit = (await admin.req('GET', '/api/audit?limit=20')).json.entries as { action: string; entity: string; changes: Record<string, unknown> }[];
    expect(audit.find((e) => e.entity === 'channel')).toMatchObject({ action: 'update', changes: { isDefault: { before: true, after: false } } });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    // back to FILE for the next test
    expect((await post('mode=merge', FILE)).json.summary.update).toBe(1);
  });

  it('bad channel entries and unknown channel names are reported by path, and nothing changes', async () => {
    const before = (await admin.req('GET', '/api/config?channels=true')).json;
    const storedBefore = await channels();
    const bad = await post('mode=replace', {
      version: 1,
      targets: [target('db1', ['nope', 'mail']), { ...target('db3', []), channels: 'mail' }],
      channels: [
        { name: 'pager', kind: 'pager', config: {} },
        { name: 'mail2', kind: 'email', config: { host: 'smtp.example.com', port: 0, security: 'tls', from: 'nw@example.com', to: ['ops@example.com'], password: 'pw' } },
        { name: 'hook2', kind: 'webhook', config: { url: 'https://h.example.com/', secret: SECRET } },
        { name: 'mail', kind: 'ntfy', config: { url: 'ftp://x' } },
        { name: 'new', kind: 'ntfy', config: { url: 'https://ntfy.example.com/t' } },
        { name: 'new', kind: 'ntfy', config: { url: 'https://ntfy.example.com/t' } },
        'x',
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.fields).toEqual({
      'channels.0.kind': 'Kind must be one of webhook, slack, teams, ntfy, email.',
      'channels.1.config.port': 'Port must be at least 1.',
      'channels.2.config.secret': 'Secrets are not imported: set them on the Channels page.',
      'channels.3.config.url': 'Topic URL must be an http:// or https:// URL.',
      'channels.5.name': 'Same name as channels.4.',
      'channels.6': 'Each channel must be an object with name, kind and config.',
      'targets.1.channels': 'channels must be a list of at most 100 channel names.',
    });
    // names resolve against stored channels and the file's: checked once the file itself is valid
    const unknown = await post('mode=merge', { version: 1, targets: [target('db1', ['nope', 'mail'])] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.fields).toEqual({ 'targets.0.channels': 'No channel named "nope" (stored or in the file\'s channels).' });
    expect((await admin.req('GET', '/api/config?channels=true')).json).toBe(before);
    expect(await channels()).toEqual(storedBefore);
  });

  it('replace mode deletes a target and its channel links, never a channel', async () => {
    const file = { ...FILE, targets: [FILE.targets[1]!], channels: [] };
    const db1 = (await admin.req('GET', '/api/targets')).json.targets.find((t: { name: string }) => t.name === 'db1');
    const r = await post('mode=replace', file);
    expect(r.json.summary).toEqual({ create: 0, update: 0, delete: 1, unchanged: 1 });
    expect(await s.db.all(SQL`SELECT * FROM target_channels WHERE target_id = ${db1.id}`)).toEqual([]);
    expect((await channels()).map((c) => c.name)).toEqual(['mail', 'ops hook']);
    expect((await post('mode=merge', FILE)).json.summary.create).toBe(1);
  });

  it('a target created by an import gets the default channels, as one created through POST /api/targets does; an entry naming its channels gets those', async () => {
    const idsOf = async (name: string) => {
      const t = (await admin.req('GET', '/api/targets')).json.targets.find((x: { name: string }) => x.name === name);
      return (await admin.req('GET', `/api/targets/${t.id}/channels`)).json.channelIds as number[];
    };
    const defaults = (await channels()).filter((c) => c.name === 'ops hook').map((c) => c.id);
    const { channels: _omit, ...plain } = target('via-api', []);
    expect((await admin.req('POST', '/api/targets', { ...plain, port: 7001 })).status).toBe(201);
    expect(await idsOf('via-api')).toEqual(defaults);
    const { channels: _none, ...unnamed } = target('via-import', []);
    const r = await post('mode=merge', {
      version: 1,
      targets: [
        { ...unnamed, port: 7002 },
        { ...target('via-import-named', ['mail']), port: 7003 },
      ],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(await idsOf('via-import')).toEqual(defaults);
    expect(await idsOf('via-import-named')).toEqual((await channels()).filter((c) => c.name === 'mail').map((c) => c.id));
    const { channels: _empty, ...again } = target('via-import-empty', []);
    await post('mode=merge', { version: 1, targets: [{ ...again, port: 7004, channels: [] }] });
    expect(await idsOf('via-import-empty')).toEqual([]);
  });

  it('channel names are unique (409 on name, decided by the unique index: two concurrent creates cannot both pass); a name two stored channels share (older data) is an error by path', async () => {
    const dup = await admin.req('POST', '/api/channels', { name: 'mail', kind: 'ntfy', config: { url: 'https://ntfy.example.com/t' } });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ error: 'conflict', message: 'Another channel has this name.', fields: { name: 'Another channel has this name.' } });
    const hook = (await channels()).find((c) => c.name === 'ops hook')!;
    const put = await admin.req('PUT', `/api/channels/${hook.id}`, { name: 'mail', kind: 'webhook', config: { url: 'https://hooks.example.com/nw' } });
    expect(put.status).toBe(409);
    expect(put.json.fields).toEqual({ name: 'Another channel has this name.' });
    const both = await Promise.all([1, 2].map(() => admin.req('POST', '/api/channels', { name: 'racing', kind: 'ntfy', config: { url: 'https://ntfy.example.com/t' } })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    await admin.req('DELETE', `/api/channels/${both.find((r) => r.status === 201)!.json.id}`);
    const box = secretBox('x'.repeat(40));
    await expect(createChannel(s.db, box, { name: 'mail', kind: 'ntfy', config: { url: 'https://ntfy.example.com/t' } }, Date.now())).rejects.toMatchObject({
      code: expect.stringMatching(/^(ER_DUP_ENTRY|SQLITE_CONSTRAINT_UNIQUE)$/),
    });
    // data from before the index (migration 014 renames such names; the plan still refuses them)
    await s.db.run(s.db.dialect === 'mysql' ? SQL`DROP INDEX channels_name ON channels` : SQL`DROP INDEX channels_name`);
    await createChannel(s.db, box, { name: 'mail', kind: 'ntfy', config: { url: 'https://ntfy.example.com/t' } }, Date.now());
    const r = await post('mode=merge', FILE);
    expect(r.status).toBe(400);
    expect(r.json.fields).toEqual({
      'channels.0.name': 'Two stored channels have this name: rename one on the Channels page first.',
      'targets.0.channels': 'Two stored channels are named "mail": rename one on the Channels page first.',
    });
  });

  it("channels are admins' to export", async () => {
    await admin.req('POST', '/api/users', { username: 'watcher', password: 'watcher password 1', role: 'viewer' });
    const viewer = app.client();
    await viewer.login('watcher', 'watcher password 1');
    expect((await viewer.req('GET', '/api/config?format=json')).status).toBe(200);
    expect((await viewer.req('GET', '/api/config?channels=true')).status).toBe(403);
  });
});
