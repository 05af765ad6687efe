/**
 * Channel URL settings a save or an import refuses or repairs, on every store
 * (domain/channel-rules.ts, domain/channel-url-merge.ts): a userinfo with a broken
 * percent-escape (every delivery would fail) is a 400 on `config.url`; an edited URL shown masked
 * keeps the stored credentials (`***` by parameter name, userinfo for the same host), and a `***`
 * with nothing stored to keep is a 400, never stored; ntfy refuses an access token together with
 * a user name and password in the URL (one Authorization header).
 */
import { SQL } from 'sql-template-strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretBox } from '../src/notify/secret-box.js';
import { send, sendTargetOf } from '../src/notify/send.js';
import { testNotice } from '../src/notify/message.js';
import { getChannel } from '../src/store/channels.js';
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

  it('an edited URL shown masked keeps the hidden credentials by parameter name and the userinfo for the same host', async () => {
    const full = 'http://me:pw@127.0.0.1:19475/topic?auth=tok-1&key=k-2';
    const r = await admin.req('POST', '/api/channels', { name: 'masked', kind: 'ntfy', config: { url: full } });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.config.url).toBe('http://127.0.0.1:19475/topic?auth=***&key=***');
    const stored = async () => String((await getChannel(s.db, r.json.id))!.config.url);
    const put = async (url: string) => admin.req('PUT', `/api/channels/${r.json.id}`, { name: 'masked', kind: 'ntfy', config: { url } });
    expect((await put('http://127.0.0.1:19475/topic?auth=***&x=1')).status).toBe(200);
    expect(await stored()).toBe('http://me:pw@127.0.0.1:19475/topic?auth=tok-1&x=1');
    expect((await put('http://127.0.0.1:19475/other?x=2&AUTH=new&auth=%2A%2A%2A')).status).toBe(200);
    expect(await stored()).toBe('http://me:pw@127.0.0.1:19475/other?x=2&AUTH=new&auth=tok-1');
    // another host does not get the user name and password
    expect((await put('http://localhost:19475/other?auth=***')).status).toBe(200);
    expect(await stored()).toBe('http://localhost:19475/other?auth=tok-1');
    // a *** with no stored value of that name: 400, nothing stored
    const bad = await put('http://localhost:19475/other?auth=***&token=***');
    expect(bad.status, JSON.stringify(bad.json)).toBe(400);
    expect(Object.keys(bad.json.fields)).toEqual(['config.url']);
    expect(bad.json.fields['config.url']).toMatch(/token is shown as \*\*\* .*type the credential/);
    expect(await stored()).toBe('http://localhost:19475/other?auth=tok-1');
    // a kind change keeps nothing of the other kind
    const kind = await admin.req('PUT', `/api/channels/${r.json.id}`, {
      name: 'masked',
      kind: 'webhook',
      config: { url: 'http://localhost:19475/other?auth=***', secret: 'a-very-secret-signing-key-0123' },
    });
    expect(kind.status).toBe(400);
    expect(kind.json.fields['config.url']).toMatch(/auth is shown as \*\*\*/);
  });

  it('a new channel with *** in its URL is a 400 on config.url, from the API and from an import (dry run too)', async () => {
    const before = await names();
    const r = await admin.req('POST', '/api/channels', { name: 'new', kind: 'ntfy', config: { url: 'http://127.0.0.1:19475/t?auth=***' } });
    expect(r.status).toBe(400);
    expect(r.json.fields['config.url']).toMatch(/auth is shown as \*\*\* .*new channel.*type the credential/);
    for (const dry of ['true', 'false']) {
      const imp = await admin.req('POST', `/api/config?mode=merge&dryRun=${dry}`, {
        version: 1,
        targets: [],
        channels: [{ name: 'new', kind: 'ntfy', config: { url: 'http://127.0.0.1:19475/t?token=***' } }],
      });
      expect(imp.status, JSON.stringify(imp.json)).toBe(400);
      expect(Object.keys(imp.json.fields)).toEqual(['channels.0.config.url']);
    }
    // an import updating a stored channel restores as the API does
    const upd = { version: 1, targets: [], channels: [{ name: 'masked', kind: 'ntfy', isDefault: false, config: { url: 'http://localhost:19475/other?auth=***&x=9' } }] };
    const dry = await admin.req('POST', '/api/config?mode=merge&dryRun=true', upd);
    expect(dry.json.channels.summary).toEqual({ create: 0, update: 1, unchanged: 0 });
    expect((await admin.req('POST', '/api/config?mode=merge', upd)).status).toBe(200);
    const masked = (await admin.req('GET', '/api/channels')).json.channels.find((c: { name: string }) => c.name === 'masked');
    expect((await getChannel(s.db, masked.id))!.config.url).toBe('http://localhost:19475/other?auth=tok-1&x=9');
    upd.channels[0]!.config.url = 'http://localhost:19475/other?sig=***';
    for (const d of ['true', 'false']) expect((await admin.req('POST', `/api/config?mode=merge&dryRun=${d}`, upd)).json.fields).toHaveProperty(['channels.0.config.url']);
    expect(await names()).toEqual(before);
  });

  it('ntfy refuses an access token together with URL credentials (400 on config.url), at save and at import; delivery never joins them', async () => {
    const both = await admin.req('POST', '/api/channels', { name: 'both', kind: 'ntfy', config: { url: 'http://u:p@127.0.0.1:19475/t', token: 'tk_0123456789' } });
    expect(both.status, JSON.stringify(both.json)).toBe(400);
    expect(Object.keys(both.json.fields)).toEqual(['config.url']);
    expect(both.json.fields['config.url']).toMatch(/either the access token or a user name and password/);
    const tok = await admin.req('POST', '/api/channels', { name: 'tok', kind: 'ntfy', config: { url: 'http://127.0.0.1:19475/t', token: 'tk_0123456789' } });
    expect(tok.status).toBe(201);
    const put = await admin.req('PUT', `/api/channels/${tok.json.id}`, { name: 'tok', kind: 'ntfy', config: { url: 'http://u:p@127.0.0.1:19475/t' } });
    expect(put.status).toBe(400);
    expect(put.json.fields['config.url']).toMatch(/not both/);
    const basic = await admin.req('POST', '/api/channels', { name: 'basic', kind: 'ntfy', config: { url: 'http://u:p@127.0.0.1:19475/t' } });
    expect(basic.status).toBe(201);
    const addToken = await admin.req('PUT', `/api/channels/${basic.json.id}`, { name: 'basic', kind: 'ntfy', config: { url: basic.json.config.url, token: 'tk_0123456789' } });
    expect(addToken.status).toBe(400);
    expect(addToken.json.fields['config.url']).toMatch(/not both/);
    // a channel stored with both before the check: the import (userinfo kept for the same host) is refused by path, dry run too
    await s.db.run(SQL`UPDATE channels SET config = ${JSON.stringify({ url: 'http://u:p@127.0.0.1:19475/t', __secretsSet: ['token'] })} WHERE id = ${tok.json.id}`);
    const file = { version: 1, targets: [], channels: [{ name: 'tok', kind: 'ntfy', isDefault: true, config: { url: 'http://127.0.0.1:19475/t' } }] };
    for (const dry of ['true', 'false']) {
      const imp = await admin.req('POST', `/api/config?mode=merge&dryRun=${dry}`, file);
      expect(imp.status, JSON.stringify(imp.json)).toBe(400);
      expect(imp.json.fields['channels.0.config.url']).toMatch(/not both/);
    }
    const rx = await receiver();
    try {
      const box = secretBox(app.deps.sessionSecret);
      const url = rx.url.replace('http://', 'http://u:p@') + '/t';
      const sent = send(sendTargetOf(box, { kind: 'ntfy', config: { url }, sealed: box.seal({ token: 'tk_0123456789' }) }), testNotice('t', Date.now(), null), 5000);
      await expect(sent).rejects.toThrow(/keep one/);
      expect(rx.got).toHaveLength(0);
    } finally {
      await rx.close();
    }
  });
});
