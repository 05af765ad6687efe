/**
 * Channel names are trimmed at validation (domain/channel-rules.ts), so every store agrees on
 * which names are the same (MariaDB's PAD SPACE collation ignores trailing spaces, SQLite does
 * not) and an import's dry run says what the import then does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const URL = 'http://127.0.0.1:19475/topic';

describe.each(STORES)('channel names with edge spaces on $name', (store) => {
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
  const names = async () => ((await admin.req('GET', '/api/channels')).json.channels as { name: string }[]).map((c) => c.name);

  it('the API stores the trimmed name, and a name differing only by edge spaces is a 409 on every store', async () => {
    expect((await admin.req('POST', '/api/channels', { name: 'race', kind: 'ntfy', config: { url: URL } })).status).toBe(201);
    const dup = await admin.req('POST', '/api/channels', { name: 'race ', kind: 'ntfy', config: { url: URL } });
    expect(dup.status, JSON.stringify(dup.json)).toBe(409);
    expect(Object.keys(dup.json.fields)).toEqual(['name']);
    const other = await admin.req('POST', '/api/channels', { name: '  other ', kind: 'ntfy', config: { url: URL } });
    expect(other.status).toBe(201);
    expect(other.json.name).toBe('other');
    const blank = await admin.req('POST', '/api/channels', { name: '   ', kind: 'ntfy', config: { url: URL } });
    expect(blank.status).toBe(400);
    expect(blank.json.fields.name).toBe('Name is required.');
    expect(await names()).toEqual(['other', 'race']);
  });

  it('an import naming `race ` updates `race`: the dry run says so and the import does it', async () => {
    const file = {
      version: 1,
      targets: [{ name: 't1', host: '127.0.0.1', port: 7000, intervalSeconds: 10, retentionValue: 7, retentionUnit: 'day', enabled: false, channels: [' race'] }],
      channels: [{ name: 'race ', kind: 'ntfy', isDefault: true, config: { url: URL } }],
    };
    const dry = await admin.req('POST', '/api/config?mode=merge&dryRun=true', file);
    expect(dry.status, JSON.stringify(dry.json)).toBe(200);
    expect(dry.json.channels.summary).toEqual({ create: 0, update: 1, unchanged: 0 });
    expect(dry.json.channels.update[0].name).toBe('race');
    const real = await admin.req('POST', '/api/config?mode=merge', file);
    expect(real.status, JSON.stringify(real.json)).toBe(200);
    expect(real.json.channels.summary).toEqual({ create: 0, update: 1, unchanged: 0 });
    expect(await names()).toEqual(['other', 'race']);
    const race = (await admin.req('GET', '/api/channels')).json.channels.find((c: { name: string }) => c.name === 'race');
    expect(race.isDefault).toBe(true);
    const t = (await admin.req('GET', '/api/targets')).json.targets.find((x: { name: string }) => x.name === 't1');
    expect((await admin.req('GET', `/api/targets/${t.id}/channels`)).json.channelIds).toEqual([race.id]);
  });
});
