/**
 * Notification channels (issue 11, "Notifications"): kinds, their settings and which of them are
 * secret. Shared by the API (src/http/routes/channels.ts) and the UI. Browser-safe.
 *
 * - `webhook`: JSON POST to `url`, signed with HMAC-SHA256 over the body with `secret`
 *   (header `X-NetWatch-Signature: sha256=<hex>`);
 * - `slack`: a Slack (or Mattermost) incoming webhook `url` (`{text}`);
 * - `teams`: a Microsoft Teams workflow webhook `url` (an Adaptive Card message);
 * - `ntfy`: POST to an ntfy topic `url` (e.g. https://ntfy.sh/mytopic), optional access `token`;
 * - `email`: SMTP via nodemailer: `host`, `port`, `security` (`tls`: TLS from the start, port 465;
 *   `starttls`: STARTTLS required, port 587; `none`: plain, for a local relay), optional
 *   `username` + `password`, `from`, `to` (1–20 addresses).
 * Secret fields ({@link SECRET_FIELDS}) are write-only: stored encrypted, never returned; on an
 * update, an omitted secret keeps the stored one.
 */
import { z } from 'zod';
import { userinfoDecodes } from './channel-urls.js';
import type { TargetState } from './target-state.js';
import type { Outcome } from './types.js';

/** Channel kinds. */
export const CHANNEL_KINDS = ['webhook', 'slack', 'teams', 'ntfy', 'email'] as const;
/** One of {@link CHANNEL_KINDS}. */
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Fields of each kind's `config` that are secrets (write-only, encrypted at rest). */
export const SECRET_FIELDS: Record<ChannelKind, readonly string[]> = {
  webhook: ['secret'],
  slack: ['url'],
  teams: ['url'],
  ntfy: ['token'],
  email: ['password'],
};

/** Secret fields a new channel of each kind must have. */
export const REQUIRED_SECRETS: Record<ChannelKind, readonly string[]> = { webhook: ['secret'], slack: ['url'], teams: ['url'], ntfy: [], email: [] };

const httpUrl = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .max(2000, { error: `${label} must be at most 2,000 characters.` })
    .refine((s) => /^https?:\/\/[^\s]+$/i.test(s) && URL.canParse(s), { error: `${label} must be an http:// or https:// URL.`, abort: true })
    // delivery decodes user:password@ for HTTP Basic (notify/send.ts basicAuth): a broken escape would fail every send
    .refine((s) => userinfoDecodes(s), {
      error: `${label}: the user name or password before @ has a broken percent-escape (% must be followed by two hex digits; write a literal % as %25).`,
    });
const text = (label: string, max: number, trim = false) =>
  (trim ? z.string({ error: `${label} is required.` }).trim() : z.string({ error: `${label} is required.` }))
    .min(1, { error: `${label} is required.` })
    .max(max, { error: `${label} must be at most ${max} characters.` })
    // as target names (target-rules.ts): no terminal escapes or broken Unicode reach a log, a CLI or a message
    .refine((s) => !/[\p{Cc}\uD800-\uDFFF]/u.test(s), { error: `${label} must not contain control characters or broken Unicode.` });
const email = z.email({ error: 'Not a valid e-mail address.' }).max(254);

/** `config` of each kind, secrets optional (required ones are checked on create). */
export const CHANNEL_CONFIGS = {
  webhook: z.object({ url: httpUrl('URL'), secret: text('Signing secret', 200).min(16, { error: 'Signing secret must be at least 16 characters.' }).optional() }).strict(),
  slack: z.object({ url: httpUrl('Webhook URL').optional() }).strict(),
  teams: z.object({ url: httpUrl('Workflow URL').optional() }).strict(),
  ntfy: z.object({ url: httpUrl('Topic URL'), token: text('Access token', 200).optional() }).strict(),
  email: z
    .object({
      host: text('SMTP host', 253),
      port: z
        .number({ error: 'Port must be a number.' })
        .int({ error: 'Port must be a whole number.' })
        .min(1, { error: 'Port must be at least 1.' })
        .max(65535, { error: 'Port must be at most 65,535.' }),
      security: z.enum(['tls', 'starttls', 'none'], { error: 'Security must be tls, starttls or none.' }),
      username: text('Username', 200).optional(),
      password: text('Password', 200).optional(),
      from: email,
      to: z.array(email, { error: 'To must be a list of addresses.' }).min(1, { error: 'Give at least one address.' }).max(20, { error: 'At most 20 addresses.' }),
    })
    .strict(),
} satisfies Record<ChannelKind, z.ZodType>;

/** A channel as a client creates or replaces it. */
export const channelInput = z
  .object({
    /**
     * Trimmed: MariaDB's PAD SPACE collation counts `race` and `race ` as one name and SQLite two,
     * so every store (and an import's dry run) agrees only on names without edge spaces.
     */
    name: text('Name', 100, true),
    kind: z.enum(CHANNEL_KINDS, { error: `Kind must be one of ${CHANNEL_KINDS.join(', ')}.` }),
    /** Chosen for new targets. */
    isDefault: z.boolean({ error: 'Default must be true or false.' }).optional(),
    config: z.record(z.string(), z.unknown(), { error: 'Config must be an object.' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const kind = CHANNEL_KINDS.includes(c.kind) ? c.kind : null;
    if (!kind) return;
    const r = CHANNEL_CONFIGS[kind].safeParse(c.config);
    if (r.success) return;
    for (const i of r.error.issues) {
      if (i.code === 'unrecognized_keys') for (const k of i.keys) ctx.addIssue({ code: 'custom', path: ['config', k], message: 'Unknown field.' });
      else ctx.addIssue({ code: 'custom', path: ['config', ...i.path], message: i.message });
    }
  });

/** Parsed body of a channel create or replace request. */
export type ChannelInput = z.infer<typeof channelInput>;

/** Kinds of notification. */
export type NoticeKind = 'down' | 'up' | 'flapping' | 'stable' | 'test';

/** A channel as the API returns it: settings without secrets, and which secrets are set. */
export interface Channel {
  id: number;
  name: string;
  kind: ChannelKind;
  isDefault: boolean;
  /** The kind's settings, secret fields left out. */
  config: Record<string, unknown>;
  /** Names of the secret fields that have a stored value. */
  secretsSet: string[];
  createdAt: number;
  updatedAt: number;
}

/** A delivery of one notification to one channel (the delivery log). Times UTC epoch ms. */
export interface Delivery {
  id: number;
  channelId: number;
  targetId: number | null;
  eventId: number | null;
  /**
   * What was sent: a state change (`down`, `up`), the one summary of a target that started
   * flapping (`flapping`) and the one when it is stable again (`stable`), or a channel `test`.
   */
  kind: NoticeKind;
  /** `pending` until sent; `failed` after 10 min of retries (or for a test that failed once). */
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  /** Why the last attempt failed (no secrets); null when none failed. */
  lastError: string | null;
  /** The message's subject line. */
  title: string;
  createdAt: number;
  updatedAt: number;
}

/** A notification, as stored with its delivery and handed to each channel kind. */
export interface Notice {
  kind: NoticeKind;
  targetId: number | null;
  targetName: string;
  /** `host:port` (IPv6 in brackets). */
  address: string;
  location: string;
  state: TargetState | null;
  cause: { outcome: Outcome; errorCode: string | null } | null;
  /** When the state began (down: the first failed probe; up: the first success), UTC epoch ms. */
  since: number | null;
  /** When the change was seen, UTC epoch ms. */
  at: number;
  /** The target's history page, or null without a public URL. */
  link: string | null;
  /** Subject line, e.g. `DOWN: db1 (10.0.0.5:5432)`. */
  title: string;
  /** Plain-text body, one fact per line. */
  text: string;
}
