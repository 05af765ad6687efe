/**
 * Notification channels through the API on every store (issue 11): admin-only CRUD, per-field 400s,
 * secrets write-only and encrypted at rest, "Send test" to a real loopback webhook (HMAC verified)
 * and a real SMTP server (smtp-server), per-target channels and the default channel.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { SQL } from 'sql-template-strings';
import { hashPassword } from '../src/auth/password.js';
import { createUser } from '../src/store/users.js';
import { testApp, type Client } from './helpers/app.js';
import { receiver } from './helpers/receiver.js';
import { STORES } from './helpers/stores.js';

const SECRET = 'webhook-secret-0123456789';

/** The Subject header, with RFC 2047 Q-encoded words decoded. */
function subjectOf(raw: string): string {
  const line = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)![1]!.replace(/\r\n[ \t]/g, ' ');
  return line.replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_m, q: string) =>
    Buffer.from(
      q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8'),
  );
}

/** A local SMTP server (plain, auth optional) that keeps each message's raw text. */
async function smtp() {
  const mails: { from: string; to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'nw' && auth.password === 'smtp-pass-1') cb(null, { user: auth.username });
      else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream
        .setEncoding('utf8')
        .on('data', (c: string) => (raw += c))
        .on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
          cb();
        });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return { port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(STORES)('channels API on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let c: Client;
  let viewer: Client;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let mail: Awaited<ReturnType<typeof smtp>>;
  beforeAll(async () => {
    s = await store.open();
    const app = await testApp(s.db, { env: { NETWATCH_PUBLIC_URL: 'https://nw.example.test/' } });
    c = app.client();
    await c.login('admin', 'correct horse');
    await createUser(s.db, 'eve', await hashPassword('viewer password'), Date.now(), 'viewer');
    viewer = app.client();
    await viewer.login('eve', 'viewer password');
    hook = await receiver();
    mail = await smtp();
  });
  afterAll(async () => {
    await hook.close();
    await mail.close();
    await s.cleanup();
  });

  it('creates a webhook channel whose secret is write-only and sealed at rest; Send test is signed', async () => {
    const r = await c.req('POST', '/api/channels', { name: 'ops hook', kind: 'webhook', config: { url: `${hook.url}/hook`, secret: SECRET } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ name: 'ops hook', kind: 'webhook', isDefault: false, config: { url: `${hook.url}/hook` }, secretsSet: ['secret'] });
    expect(JSON.stringify(r.json)).not.toContain(SECRET);
    const raw = await s.db.get<{ config: string; secret: string }>(SQL`SELECT config, secret FROM channels WHERE id = ${r.json.id}`);
    expect(raw!.config + raw!.secret).not.toContain(SECRET);
    expect(raw!.secret).toMatch(/^v1\./);
    expect(JSON.stringify((await c.req('GET', '/api/channels')).json)).not.toContain(SECRET);

    const t = await c.req('POST', `/api/channels/${r.json.id}/test`);
    expect(t.status).toBe(200);
    expect(t.json.delivery).toMatchObject({ status: 'sent', attempts: 1, kind: 'test', lastError: null });
    const got = hook.got.at(-1)!;
    expect(got.headers['x-netwatch-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(got.body).digest('hex')}`);
    expect(JSON.parse(got.body)).toMatchObject({ event: 'test', link: 'https://nw.example.test/' });

    // a PUT without the secret keeps it; the receiver still verifies the signature
    const put = await c.req('PUT', `/api/channels/${r.json.id}`, { name: 'ops hook 2', kind: 'webhook', config: { url: `${hook.url}/hook2` } });
    expect(put.json).toMatchObject({ name: 'ops hook 2', secretsSet: ['secret'] });
    await c.req('POST', `/api/channels/${r.json.id}/test`);
    const again = hook.got.at(-1)!;
    expect(again.url).toBe('/hook2');
    expect(again.headers['x-netwatch-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(again.body).digest('hex')}`);

    // a receiver answering 500: the test reports it, and the delivery log has it
    hook.state.status = 500;
    const bad = await c.req('POST', `/api/channels/${r.json.id}/test`);
    hook.state.status = 200;
    expect(bad.json.delivery).toMatchObject({ status: 'failed', lastError: 'HTTP 500' });
    const log = await viewer.req('GET', `/api/deliveries?channelId=${r.json.id}`);
    expect(log.status).toBe(200);
    expect(log.json.deliveries.map((d: { status: string }) => d.status)).toEqual(['failed', 'sent', 'sent']);
  });

  it('sends e-mail through a local SMTP server with the right subject and body', async () => {
    const r = await c.req('POST', '/api/channels', {
      name: 'mail',
      kind: 'email',
      config: { host: '127.0.0.1', port: mail.port, security: 'none', username: 'nw', password: 'smtp-pass-1', from: 'netwatch@example.test', to: ['ops@example.test', 'noc@example.test'] },
    });
    expect(r.status).toBe(201);
    expect(r.json.secretsSet).toEqual(['password']);
    const t = await c.req('POST', `/api/channels/${r.json.id}/test`);
    expect(t.json.delivery, JSON.stringify(t.json)).toMatchObject({ status: 'sent', lastError: null });
    const m = mail.mails.at(-1)!;
    expect(m.from).toBe('netwatch@example.test');
    expect(m.to).toEqual(['ops@example.test', 'noc@example.test']);
    expect(subjectOf(m.raw)).toBe('TEST: NetWatch channel "mail"');
    expect(m.raw).toContain('This is a test notification from NetWatch');
    expect(m.raw).toContain('https://nw.example.test/');
  });

  it('sends Slack, Teams and ntfy messages in their formats', async () => {
    const make = async (kind: string, config: Record<string, unknown>) => (await c.req('POST', '/api/channels', { name: kind, kind, config })).json;
    const slack = await make('slack', { url: `${hook.url}/slack` });
    expect(slack.config).toEqual({});
    expect(slack.secretsSet).toEqual(['url']);
    const teams = await make('teams', { url: `${hook.url}/teams` });
    const ntfy = await make('ntfy', { url: `${hook.url}/topic`, token: 'tk_secret_token' });
    for (const ch of [slack, teams, ntfy]) expect((await c.req('POST', `/api/channels/${ch.id}/test`)).json.delivery.status).toBe('sent');
    const at = (path: string) => hook.got.filter((r) => r.url === path).at(-1)!;
    expect(JSON.parse(at('/slack').body).text).toMatch(/^\*TEST: NetWatch channel "slack"\*\n/);
    const card = JSON.parse(at('/teams').body);
    expect(card).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }] });
    expect(card.attachments[0].content.body[0].text).toBe('TEST: NetWatch channel "teams"');
    const n = at('/topic');
    expect(n.headers.title).toBe('TEST: NetWatch channel "ntfy"');
    expect(n.headers.authorization).toBe('Bearer tk_secret_token');
    expect(n.body).toContain('This is a test notification');
  });

  it('refuses bad channels per field, and viewers entirely', async () => {
    const cases: [unknown, string][] = [
      [{ name: '', kind: 'webhook', config: { url: 'http://127.0.0.1/', secret: SECRET } }, 'name'],
      [{ name: 'x', kind: 'pager', config: {} }, 'kind'],
      [{ name: 'x', kind: 'webhook', config: { url: 'ftp://127.0.0.1/', secret: SECRET } }, 'config.url'],
      [{ name: 'x', kind: 'webhook', config: { url: 'http://127.0.0.1/', secret: 'short' } }, 'config.secret'],
      [{ name: 'x', kind: 'webhook', config: { url: 'http://127.0.0.1/' } }, 'config.secret'],
      [{ name: 'x', kind: 'slack', config: {} }, 'config.url'],
      [{ name: 'x', kind: 'email', config: { host: 'h', port: 70000, security: 'none', from: 'a@b.test', to: ['c@d.test'] } }, 'config.port'],
      [{ name: 'x', kind: 'email', config: { host: 'h', port: 25, security: 'none', from: 'a@b.test', to: ['not an address'] } }, 'config.to.0'],
      [{ name: 'x', kind: 'ntfy', config: { url: 'http://127.0.0.1/t', bogus: 1 } }, 'config.bogus'],
      // a terminal escape in a name would reach the CLI's dry-run output as it is
      [{ name: '\u001b]0;pwned\u0007\u001b[2J', kind: 'ntfy', config: { url: 'http://127.0.0.1/t' } }, 'name'],
    ];
    for (const [body, field] of cases) {
      const r = await c.req('POST', '/api/channels', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(r.json.fields), JSON.stringify(body)).toEqual([field]);
    }
    expect((await viewer.req('GET', '/api/channels')).status).toBe(403);
    expect((await viewer.req('POST', '/api/channels', { name: 'v', kind: 'slack', config: { url: 'http://127.0.0.1/' } })).status).toBe(403);
    expect((await c.req('DELETE', '/api/channels/999999')).status).toBe(404);
  });

  it('gives new targets the default channels; a target chooses its own', async () => {
    const def = await c.req('POST', '/api/channels', { name: 'default ntfy', kind: 'ntfy', isDefault: true, config: { url: `${hook.url}/topic` } });
    const t = await c.req('POST', '/api/targets', { name: 'spoke', host: '127.0.0.1', port: 9, intervalSeconds: 10, retentionValue: 1, retentionUnit: 'day' });
    expect((await c.req('GET', `/api/targets/${t.json.id}/channels`)).json.channelIds).toEqual([def.json.id]);
    const other = (await c.req('GET', '/api/channels')).json.channels.find((x: { name: string }) => x.name === 'mail').id;
    expect((await c.req('PUT', `/api/targets/${t.json.id}/channels`, { channelIds: [other] })).json.channelIds).toEqual([other]);
    expect((await c.req('PUT', `/api/targets/${t.json.id}/channels`, { channelIds: [987654] })).status).toBe(400);
    expect((await viewer.req('PUT', `/api/targets/${t.json.id}/channels`, { channelIds: [] })).status).toBe(403);
    expect((await viewer.req('GET', `/api/targets/${t.json.id}/channels`)).json.channelIds).toEqual([other]);
    expect((await c.req('DELETE', `/api/channels/${other}`)).status).toBe(204);
    expect((await c.req('GET', `/api/targets/${t.json.id}/channels`)).json.channelIds).toEqual([]);
  });
});
