/**
 * Sends one notice to one channel, once (retries are the delivery actor's). Each kind's wire
 * format is documented at {@link request}; errors carry a message safe to store and show: an
 * HTTP status, an errno, or "timed out", never a URL, header or secret.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ChannelKind } from '../domain/channel-rules.js';
import { hasUserinfo, withoutUserinfo } from '../domain/channel-urls.js';
import type { Notice } from './message.js';
import type { SecretBox } from './secret-box.js';

/** Header carrying the webhook signature: `sha256=<hex HMAC-SHA256 of the raw body with the channel secret>`. */
const SIGNATURE_HEADER = 'X-NetWatch-Signature';

/** What a channel needs to send: its kind, settings and opened secrets. */
export interface SendTarget {
  kind: ChannelKind;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

/**
 * A stored channel's kind, settings and opened secrets.
 * @throws {SecretUnreadableError} when its secrets cannot be opened (the session secret changed)
 */
export function sendTargetOf(box: Pick<SecretBox, 'open'>, c: { kind: ChannelKind; config: Record<string, unknown>; sealed: string | null }): SendTarget {
  return { kind: c.kind, config: c.config, secrets: c.sealed ? box.open(c.sealed) : {} };
}

/** A failed attempt, with a message safe to log and show. */
export class SendError extends Error {}

/** HMAC-SHA256 (RFC 2104, FIPS 180-4) of `body` with `secret`, as the signature header's value. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * A request whose URL carries credentials (`https://user:pass@host/…`, domain/channel-urls.ts) sent
 * as HTTP Basic authentication (RFC 7617) to the URL without them: fetch refuses a URL with
 * credentials (Fetch standard, "new Request": TypeError). Others are returned as they are.
 * @throws {SendError} when the userinfo has a malformed percent-escape (`a%zz:b@`), or the request
 *   already has an Authorization header (an ntfy access token stored before that was refused)
 */
export function basicAuth<R extends { url: string; headers: Record<string, string> }>(r: R): R {
  if (!hasUserinfo(r.url) || !URL.canParse(r.url)) return r;
  // refused on save (channel-url-merge.ts): fetch would send both joined into one header
  if (Object.keys(r.headers).some((h) => h.toLowerCase() === 'authorization')) throw new SendError('both an access token and a user name and password in the URL: keep one');
  const u = new URL(r.url);
  let pair: string;
  try {
    pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  } catch {
    // refused on save (channel-rules.ts); a channel stored before that says why it cannot send
    throw new SendError('the user name or password in the URL has a broken percent-escape');
  }
  return { ...r, url: withoutUserinfo(r.url), headers: { ...r.headers, authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` } };
}

/** The HTTP request for an HTTP kind: URL, headers and body. */
export function request(ch: SendTarget, n: Notice): { url: string; headers: Record<string, string>; body: string } {
  const json = { 'content-type': 'application/json' };
  switch (ch.kind) {
    case 'webhook': {
      // generic JSON; receivers verify the signature over the exact body bytes
      const body = JSON.stringify({
        event: n.kind,
        target: { id: n.targetId, name: n.targetName, address: n.address },
        location: n.location,
        state: n.state,
        cause: n.cause,
        since: n.since,
        at: n.at,
        link: n.link,
        title: n.title,
        text: n.text,
      });
      return { url: String(ch.config.url), headers: { ...json, [SIGNATURE_HEADER]: signature(ch.secrets.secret ?? '', body) }, body };
    }
    case 'slack':
      // Slack / Mattermost incoming webhook: {text} with mrkdwn
      return { url: ch.secrets.url ?? '', headers: json, body: JSON.stringify({ text: `*${n.title}*\n${n.text}` }) };
    case 'teams':
      // Teams workflow ("Post to a channel when a webhook request is received"): an Adaptive Card 1.4 message
      return {
        url: ch.secrets.url ?? '',
        headers: json,
        body: JSON.stringify({
          type: 'message',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.adaptive',
              content: {
                $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
                type: 'AdaptiveCard',
                version: '1.4',
                body: [
                  { type: 'TextBlock', text: n.title, weight: 'Bolder', size: 'Medium', wrap: true },
                  { type: 'TextBlock', text: n.text, wrap: true },
                ],
                ...(n.link && { actions: [{ type: 'Action.OpenUrl', title: 'History', url: n.link }] }),
              },
            },
          ],
        }),
      };
    case 'ntfy':
      // ntfy publish (docs.ntfy.sh/publish): plain body, Title/Priority/Tags/Click headers
      return {
        url: String(ch.config.url),
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          Title: n.title,
          Priority: n.kind === 'down' ? 'high' : 'default',
          Tags: n.kind === 'down' ? 'rotating_light' : n.kind === 'up' ? 'white_check_mark' : 'test_tube',
          ...(n.link && { Click: n.link }),
          ...(ch.secrets.token && { Authorization: `Bearer ${ch.secrets.token}` }),
        },
        body: n.text,
      };
    default:
      throw new SendError(`channel kind ${ch.kind} is not sent over HTTP`);
  }
}

function reason(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string }; responseCode?: number; response?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'ETIMEDOUT') return 'timed out';
  if (e?.responseCode) return `SMTP ${e.responseCode}${e.response ? `: ${String(e.response).slice(0, 120)}` : ''}`;
  return e?.cause?.code ?? e?.code ?? e?.name ?? 'failed';
}

/**
 * Sends `n` to `ch` once within `timeoutMs`.
 * @throws {SendError} with a safe message (HTTP status, errno, SMTP reply code, "timed out")
 */
export async function send(ch: SendTarget, n: Notice, timeoutMs: number): Promise<void> {
  if (ch.kind === 'email') {
    const c = ch.config;
    const transport = nodemailer.createTransport({
      host: String(c.host),
      port: Number(c.port),
      secure: c.security === 'tls',
      requireTLS: c.security === 'starttls',
      ignoreTLS: c.security === 'none',
      ...(c.username ? { auth: { user: String(c.username), pass: ch.secrets.password ?? '' } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      logger: false,
    });
    try {
      await transport.sendMail({ from: String(c.from), to: (c.to as string[]).join(', '), subject: n.title, text: n.text });
    } catch (err) {
      throw new SendError(reason(err));
    } finally {
      transport.close();
    }
    return;
  }
  const r = basicAuth(request(ch, n));
  let res: Response;
  try {
    res = await fetch(r.url, { method: 'POST', headers: r.headers, body: r.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
  } catch (err) {
    throw new SendError(reason(err));
  }
  if (res.status < 200 || res.status > 299) throw new SendError(`HTTP ${res.status}`);
}
