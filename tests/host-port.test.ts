/** hostPort (src/domain/host-port.ts): IPv6 literals in brackets, as in a URI authority (RFC 3986 §3.2.2). */
import { describe, expect, it } from 'vitest';
import { hostPort } from '../src/domain/host-port.js';

describe('hostPort', () => {
  it.each([
    ['example.com', 443, 'example.com:443'],
    ['10.0.0.1', 22, '10.0.0.1:22'],
    ['::1', 19103, '[::1]:19103'],
    ['2001:db8::1', 80, '[2001:db8::1]:80'],
    ['[2001:db8::1]', 80, '[2001:db8::1]:80'],
  ])('%s + %d → %s', (host, port, expected) => expect(hostPort(host, port)).toBe(expected));
});
