/**
 * Channel URL settings a save or an import refuses or repairs, on every store
 * (domain/channel-rules.ts, domain/channel-url-merge.ts): a userinfo with a broken
 * percent-escape (every delivery would fail) is a 400 on `config.url`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretBox } from '../src/notify/secret-box.js';
import { send, sendTargetOf } from '../src/notify/send.js';
import { testNotice } from '../src/notify/message.js';
import { testApp } from './helpers/app.js';
import { receiver } from './helpers/receiver.js';
import { STORES } from './helpers/stores.js';

const BROKEN = 'http://a%zz:b@127.0.0.1:19475/p';

describe.each(STORES)('channel URL faults on $name', (store) => {
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

  it('a userinfo with a broken percent-escape is refused on config.url at save and at import', async () => {
    for (const kind of ['ntfy', 'slack'] as const) {
      const r = await admin.req('POST', '/api/channels', { name: `bad ${kind}`, kind, config: { url: BROKEN } });
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(Object.keys(r.json.fields)).toEqual(['config.url']);
      expect(r.json.fields['config.url']).toMatch(/percent-escape/);
    }
    const ok = await admin.req('POST', '/api/channels', { name: 'good', kind: 'ntfy', config: { url: 'http://a%20b:c@127.0.0.1:19475/p' } });
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    const put = await admin.req('PUT', `/api/channels/${ok.json.id}`, { name: 'good', kind: 'ntfy', config: { url: BROKEN } });
    expect(put.status).toBe(400);
    expect(put.json.fields['config.url']).toMatch(/percent-escape/);
    for (const dry of ['true', 'false']) {
      const imp = await admin.req('POST', `/api/config?mode=merge&dryRun=${dry}`, { version: 1, targets: [], channels: [{ name: 'bad', kind: 'ntfy', config: { url: BROKEN } }] });
      expect(imp.status).toBe(400);
      expect(imp.json.fields['channels.0.config.url']).toMatch(/percent-escape/);
    }
    expect(await names()).toEqual(['good']);
  });

  it('a channel stored with such a URL (before the check) fails to send with a message saying why, and sends nothing', async () => {
    const rx = await receiver();
    try {
      const box = secretBox(app.deps.sessionSecret);
      const url = rx.url.replace('http://', 'http://a%zz:b@') + '/p';
      const sent = send(sendTargetOf(box, { kind: 'ntfy', config: { url }, sealed: null }), testNotice('t', Date.now(), null), 5000);
      await expect(sent).rejects.toThrow(/broken percent-escape/);
      expect(rx.got).toHaveLength(0);
    } finally {
      await rx.close();
    }
  });
});
