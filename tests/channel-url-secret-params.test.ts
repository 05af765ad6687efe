/**
 * Which query parameters of a channel URL are credentials (domain/channel-urls.ts): any name that
 * contains one of the usual words, whatever its case, has its value shown as `***`; other
 * parameters are left byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { hasUrlCredentials, withoutUrlCredentials } from '../src/domain/channel-urls.js';

const SECRET_NAMES = [
  'auth',
  'token',
  'access_token',
  'api_key',
  'apikey',
  'key',
  'secret',
  'password',
  'pass',
  'sig',
  'signature',
  'api_token',
  'code',
  'client_secret',
  'auth_token',
  'private_token',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'apiToken',
  'access_key',
  'sas',
  'AUTH',
  'Token',
  'passwd',
  'pwd',
  'x%2Dapi%2Dkey',
];
const PLAIN_NAMES = ['x', 'Title', 'topic', 'priority', 'page', 'format', 'sass', 'passage'];

describe('secret query parameter names', () => {
  it.each(SECRET_NAMES)('%s is a credential: shown as ***', (name) => {
    const url = `https://h.example.com/p?x=1&${name}=v-0123&y=2#f`;
    expect(withoutUrlCredentials(url)).toBe(`https://h.example.com/p?x=1&${name}=***&y=2#f`);
    expect(hasUrlCredentials(url)).toBe(true);
  });
  it.each(PLAIN_NAMES)('%s is not a credential: left as it is', (name) => {
    const url = `https://h.example.com/p?${name}=v-0123`;
    expect(withoutUrlCredentials(url)).toBe(url);
    expect(hasUrlCredentials(url)).toBe(false);
  });
});
