/**
 * The channel editor's form model (issue 11): each kind's fields as typed, converted to the API
 * body and validated with the API's own rules (src/domain/channel-rules.ts). Secret fields are
 * write-only: left blank on edit, they keep the stored value.
 */
import { channelInput, REQUIRED_SECRETS, type Channel, type ChannelInput, type ChannelKind } from '../../../src/domain/channel-rules.ts';
import { issuesToFields } from '../../../src/domain/target-rules.ts';

/** One setting of a kind, as the editor shows it. */
export interface ChannelField {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'select' | 'list' | 'secret';
  options?: readonly string[];
  hint?: string;
}

/** The fields each kind shows, in order. */
export const KIND_FIELDS: Record<ChannelKind, readonly ChannelField[]> = {
  webhook: [
    { key: 'url', label: 'URL', kind: 'text', hint: 'JSON POST; header X-NetWatch-Signature: sha256=HMAC of the body' },
    { key: 'secret', label: 'Signing secret', kind: 'secret', hint: 'at least 16 characters' },
  ],
  slack: [{ key: 'url', label: 'Incoming webhook URL (Slack or Mattermost)', kind: 'secret' }],
  teams: [{ key: 'url', label: 'Teams workflow URL', kind: 'secret' }],
  ntfy: [
    { key: 'url', label: 'Topic URL', kind: 'text', hint: 'e.g. https://ntfy.sh/my-topic' },
    { key: 'token', label: 'Access token (optional)', kind: 'secret' },
  ],
  email: [
    { key: 'host', label: 'SMTP host', kind: 'text' },
    { key: 'port', label: 'Port', kind: 'number', hint: '465 for TLS, 587 for STARTTLS' },
    { key: 'security', label: 'Security', kind: 'select', options: ['starttls', 'tls', 'none'] },
    { key: 'username', label: 'Username (optional)', kind: 'text' },
    { key: 'password', label: 'Password', kind: 'secret' },
    { key: 'from', label: 'From', kind: 'text' },
    { key: 'to', label: 'To (comma-separated)', kind: 'list' },
  ],
};

/** Human names of the kinds. */
export const KIND_LABELS: Record<ChannelKind, string> = { webhook: 'Webhook (signed JSON)', slack: 'Slack / Mattermost', teams: 'Microsoft Teams', ntfy: 'ntfy', email: 'E-mail (SMTP)' };

/** Editor values: every field as a string. */
export interface ChannelForm {
  name: string;
  kind: ChannelKind;
  isDefault: boolean;
  values: Record<string, string>;
}

/** A new channel's form. */
export function emptyChannelForm(): ChannelForm {
  return { name: '', kind: 'webhook', isDefault: false, values: { security: 'starttls', port: '587' } };
}

/** An existing channel's form (secrets blank). */
export function formFromChannel(c: Channel): ChannelForm {
  const values: Record<string, string> = { security: 'starttls' };
  for (const [k, v] of Object.entries(c.config)) values[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return { name: c.name, kind: c.kind, isDefault: c.isDefault, values };
}

/** The API body; blank optional fields and blank secrets are left out. */
export function channelBody(f: ChannelForm): ChannelInput {
  const config: Record<string, unknown> = {};
  for (const field of KIND_FIELDS[f.kind]) {
    const raw = (f.values[field.key] ?? '').trim();
    if (raw === '') continue;
    if (field.kind === 'number') config[field.key] = Number(raw);
    else if (field.kind === 'list')
      config[field.key] = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else config[field.key] = raw;
  }
  return { name: f.name, kind: f.kind, isDefault: f.isDefault, config };
}

/**
 * Per-field errors with the API's rules (`{}` when valid); keys like `config.url`.
 * @param secretsSet secrets the stored channel has (not required again)
 */
export function channelErrors(f: ChannelForm, secretsSet: readonly string[] = []): Record<string, string> {
  const body = channelBody(f);
  const r = channelInput.safeParse(body);
  const errors = r.success ? {} : issuesToFields(r.error.issues);
  for (const k of REQUIRED_SECRETS[f.kind]) {
    if (body.config[k] === undefined && !secretsSet.includes(k)) errors[`config.${k}`] ??= 'Required.';
  }
  return errors;
}
