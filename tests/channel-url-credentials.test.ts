/**
 * Credentials in a channel's URL (`http://user:pass@host/…`, domain/channel-urls.ts) never leave
 * NetWatch, on every store: not in the configuration export, the channel API or the audit log. The
 * exported file re-imports (merge and replace) without wiping them, as a UI edit that sends the URL
 * back without them does not; a file that brings credentials is an error by path; delivery sends
 * them as HTTP Basic authentication to a loopback receiver.
 */
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretBox } from '../src/notify/secret-box.js';
import { send, sendTargetOf } from '../src/notify/send.js';
import { testNotice } from '../src/notify/message.js';
import { getChannel } from '../src/store/channels.js';
import { testApp } from './helpers/app.js';
import { receiver } from './helpers/receiver.js';
import { STORES } from './helpers/stores.js';

const PASS = 'hunter2-very-secret';
const QTOKEN = 'qtok-0123456789';
const URL_WITH = `https://nw-user:${PASS}@hooks.example.com/nw?x=1&token=${QTOKEN}#f`;
const URL_WITHOUT = 'https://hooks.example.com/nw?x=1&token=***#f';
const SECRET = 'a-very-secret-signing-key-0123';

describe.each(STORES)('channel URL credentials on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let admin: ReturnType<typeof app.client>;
  let id: number;
  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db);
    admin = app.client();
    await admin.login('admin', 'correct horse');
    const r = await admin.req('POST', '/api/channels', { name: 'hook', kind: 'webhook', config: { url: URL_WITH, secret: SECRET } });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    id = r.json.id;
    await admin.req('POST', '/api/channels', { name: 'topic', kind: 'ntfy', config: { url: `https://me:${PASS}@ntfy.example.com/t?auth=${QTOKEN}&Title=x` } });
  });
  afterAll(() => s.cleanup());
  const stored = async () => (await getChannel(s.db, id))!;

  it('leaves them out of the export, the channel API and the audit log', async () => {
    const yaml = (await admin.req('GET', '/api/config?channels=true')).json as string;
    expect(yaml).not.toContain(PASS);
    expect(yaml).not.toContain(QTOKEN);
    expect(YAML.parse(yaml).channels).toEqual([
      { name: 'hook', kind: 'webhook', isDefault: false, config: { url: URL_WITHOUT } },
      { name: 'topic', kind: 'ntfy', isDefault: false, config: { url: 'https://ntfy.example.com/t?auth=***&Title=x' } },
    ]);
    expect(JSON.stringify((await admin.req('GET', '/api/config?channels=true&format=json')).json)).not.toContain(PASS);
    const list = await admin.req('GET', '/api/channels');
    expect(JSON.stringify(list.json)).not.toContain(PASS);
    expect(JSON.stringify(list.json)).not.toContain(QTOKEN);
    expect(JSON.stringify((await admin.req('GET', '/api/audit?limit=50')).json)).not.toContain(QTOKEN);
    expect(JSON.stringify((await admin.req('GET', `/api/channels/${id}`)).json)).not.toContain(PASS);
    expect(JSON.stringify((await admin.req('GET', '/api/audit?limit=50')).json)).not.toContain(PASS);
    expect((await stored()).config.url).toBe(URL_WITH);
  });

  it('re-importing the export keeps them and the secret, in merge and replace mode', async () => {
    const yaml = (await admin.req('GET', '/api/config?channels=true')).json as string;
    for (const mode of ['merge', 'replace']) {
      const r = await admin.req('POST', `/api/config?mode=${mode}`, yaml, { 'content-type': 'application/yaml' });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json.channels.summary).toEqual({ create: 0, update: 0, unchanged: 2 });
      expect((await stored()).config.url).toBe(URL_WITH);
      expect((await stored()).secretsSet).toEqual(['secret']);
    }
    // a file changing something else of the channel (isDefault) updates it, still keeping them
    const file = YAML.parse(yaml);
    file.channels[0].isDefault = true;
    const r = await admin.req('POST', '/api/config?mode=merge', file);
    expect(r.json.channels.summary).toEqual({ create: 0, update: 1, unchanged: 1 });
    expect((await stored()).config.url).toBe(URL_WITH);
    // a changed URL without credentials is a new URL: they are not carried to another address
    file.channels[0].config.url = 'https://other.example.com/nw';
    await admin.req('POST', '/api/config?mode=merge', file);
    expect((await stored()).config.url).toBe('https://other.example.com/nw');
  });

  it('a UI edit sending the URL back without them keeps them; sending new ones replaces them', async () => {
    await admin.req('PUT', `/api/channels/${id}`, { name: 'hook', kind: 'webhook', config: { url: URL_WITH } });
    const shown = (await admin.req('GET', `/api/channels/${id}`)).json;
    const put = await admin.req('PUT', `/api/channels/${id}`, { name: 'hook', kind: 'webhook', config: shown.config });
    expect(put.status).toBe(200);
    expect((await stored()).config.url).toBe(URL_WITH);
    await admin.req('PUT', `/api/channels/${id}`, { name: 'hook', kind: 'webhook', config: { url: 'https://u2:p2@hooks.example.com/nw?x=1&token=t2#f' } });
    expect((await stored()).config.url).toBe('https://u2:p2@hooks.example.com/nw?x=1&token=t2#f');
  });

  it('a file bringing credentials in a URL is an error on that path, and nothing changes', async () => {
    const r = await admin.req('POST', '/api/config?mode=merge', { version: 1, targets: [], channels: [{ name: 'x', kind: 'webhook', config: { url: URL_WITH } }] });
    expect(r.status).toBe(400);
    expect(r.json.fields['channels.0.config.url']).toMatch(/Credentials in a URL/);
    const q = await admin.req('POST', '/api/config?mode=merge', { version: 1, targets: [], channels: [{ name: 'x', kind: 'ntfy', config: { url: `https://ntfy.example.com/t?auth=${QTOKEN}` } }] });
    expect(Object.keys(q.json.fields)).toEqual(['channels.0.config.url']);
    expect((await admin.req('GET', '/api/channels')).json.channels.map((c: { name: string }) => c.name)).toEqual(['hook', 'topic']);
  });

  it('delivery sends them as HTTP Basic authentication, to the URL without them', async () => {
    const rx = await receiver();
    try {
      const box = secretBox(app.deps.sessionSecret);
      const url = rx.url.replace('http://', 'http://nw%20user:p%40ss@') + '/hook';
      await send(sendTargetOf(box, { kind: 'webhook', config: { url }, sealed: box.seal({ secret: SECRET }) }), testNotice('hook', Date.now(), null), 5000);
      expect(rx.got).toHaveLength(1);
      expect(rx.got[0]!.url).toBe('/hook');
      expect(rx.got[0]!.headers.authorization).toBe(`Basic ${Buffer.from('nw user:p@ss').toString('base64')}`);
    } finally {
      await rx.close();
    }
  });
});
