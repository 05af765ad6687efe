import { describe, expect, it } from 'vitest';
import { channelBody, channelErrors, emptyChannelForm, formFromChannel } from './channelForm.ts';

describe('channel form', () => {
  it('builds the API body per kind, leaving blank secrets out', () => {
    const f = {
      ...emptyChannelForm(),
      name: 'mail',
      kind: 'email' as const,
      values: { host: 'smtp.example.test', port: '587', security: 'starttls', from: 'nw@example.test', to: 'a@example.test, b@example.test', password: '' },
    };
    expect(channelBody(f)).toEqual({
      name: 'mail',
      kind: 'email',
      isDefault: false,
      config: { host: 'smtp.example.test', port: 587, security: 'starttls', from: 'nw@example.test', to: ['a@example.test', 'b@example.test'] },
    });
    expect(channelErrors(f)).toEqual({});
  });
  it('validates with the API rules; a stored secret need not be typed again', () => {
    const f = { ...emptyChannelForm(), name: 'hook', values: { url: 'ftp://x' } };
    expect(channelErrors(f)).toEqual({ 'config.url': 'URL must be an http:// or https:// URL.', 'config.secret': 'Required.' });
    const edit = formFromChannel({ id: 1, name: 'hook', kind: 'webhook', isDefault: true, config: { url: 'http://127.0.0.1/h' }, secretsSet: ['secret'], createdAt: 0, updatedAt: 0 });
    expect(edit.values.url).toBe('http://127.0.0.1/h');
    expect(channelErrors(edit, ['secret'])).toEqual({});
  });
});
