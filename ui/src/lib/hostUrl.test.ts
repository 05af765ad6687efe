import { describe, expect, it } from 'vitest';
import { splitHostUrl } from './hostUrl.ts';

describe('a URL pasted into Host', () => {
  it('splits URLs into host and port, with the scheme’s port when none is given', () => {
    expect(splitHostUrl('http://example.com:80/x')).toEqual({ host: 'example.com', port: 80, scheme: 'http' });
    expect(splitHostUrl('https://api.example.com/v1?q=1')).toEqual({ host: 'api.example.com', port: 443, scheme: 'https' });
    expect(splitHostUrl(' HTTP://example.com:8080 ')).toEqual({ host: 'example.com', port: 8080, scheme: 'http' });
    expect(splitHostUrl('postgres://user:pw@db.internal:5433/app')).toEqual({ host: 'db.internal', port: 5433, scheme: 'postgres' });
    expect(splitHostUrl('https://[2001:db8::1]:8443/')).toEqual({ host: '[2001:db8::1]', port: 8443, scheme: 'https' });
    expect(splitHostUrl('gopher2://example.com/')).toEqual({ host: 'example.com', port: null, scheme: 'gopher2' });
  });
  it('splits name:port and [v6]:port', () => {
    expect(splitHostUrl('example.com:443')).toEqual({ host: 'example.com', port: 443, scheme: null });
    expect(splitHostUrl('[::1]:22')).toEqual({ host: '[::1]', port: 22, scheme: null });
  });
  it('leaves plain hosts alone', () => {
    for (const h of ['example.com', '10.0.0.5', '[::1]', '2001:db8::1', 'example.com:99999', '']) expect(splitHostUrl(h), h).toBeNull();
  });
});
