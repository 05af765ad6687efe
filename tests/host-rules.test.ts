/**
 * The host rule (src/domain/host-rules.ts, shared by the API and the editor): what people paste into
 * Host (a URL, host:port, a path) is answered with the host to type, never with IPv6 talk; every
 * other message says what is wrong in plain words.
 */
import { describe, expect, it } from 'vitest';
import { parseHost } from '../src/domain/host-rules.js';

const error = (h: string) => ('error' in parseHost(h) ? (parseHost(h) as { error: string }).error : null);

describe('host messages say what to type instead', () => {
  it.each([
    ['http://example.com', 'Type the host name or address without "http://" or a path: example.com (http usually means port 80).'],
    ['HTTPS://example.com/x', 'Type the host name or address without "HTTPS://" or a path: example.com (https usually means port 443).'],
    ['https://example.com:443', 'Type the host name or address without "https://" or a path: example.com, and 443 in Port.'],
    ['ftp://example.com', 'Type the host name or address without "ftp://" or a path: example.com.'],
    ['https://10.0.0.1:0', 'Type the host name or address without "https://" or a path: 10.0.0.1 (0 is not a port; Port takes 1–65535).'],
    ['http://example.com:99999/', 'Type the host name or address without "http://" or a path: example.com (99999 is not a port; Port takes 1–65535).'],
    ['https://日本.jp', 'Type the host name or address without "https://" or a path: 日本.jp (https usually means port 443).'],
    ['https://café.example:8443', 'Type the host name or address without "https://" or a path: café.example, and 8443 in Port.'],
    ['日本.jp:80', 'Type the host alone: 日本.jp, and 80 in Port.'],
    ['example.com:99999', 'Type the host alone: example.com (99999 is not a port; Port takes 1–65535).'],
    ['10.0.0.1:0', 'Type the host alone: 10.0.0.1 (0 is not a port; Port takes 1–65535).'],
    ['https://example.com:8443/x?y=1', 'Type the host name or address without "https://" or a path: example.com, and 8443 in Port.'],
    ['postgres://user:pw@db.internal:5433/app', 'Type the host name or address without "postgres://" or a path: db.internal, and 5433 in Port.'],
    ['http://[2001:db8::1]:8080/', 'Type the host name or address without "http://" or a path: [2001:db8::1], and 8080 in Port.'],
    ['http://user@', 'Type the host name or address without "http://" or a path, e.g. db.example.com.'],
    ['http://', 'Type the host name or address without "http://" or a path, e.g. db.example.com.'],
    ['example.com:80', 'Type the host alone: example.com, and 80 in Port.'],
    ['10.0.0.5:22', 'Type the host alone: 10.0.0.5, and 22 in Port.'],
    ['[::1]:22', 'Type the host alone: [::1], and 22 in Port.'],
    ['example.com:', 'Type the host alone: example.com.'],
    ['a!b:80', 'Type the host name or address alone; the port goes in Port.'],
    ['example.com/status', 'Type the host without a path: example.com.'],
    ['C:/x', 'Type the host name or address alone, without a path, e.g. db.example.com.'],
  ])('%s → %s', (host, message) => {
    expect(error(host)).toBe(message);
  });

  it('reads well for the other mistakes', () => {
    expect(error('')).toBe('Host is required.');
    expect(error('db .example')).toBe('Host must not contain spaces.');
    expect(error('2001:db8::zz')).toBe('Not a valid IPv6 address; type one such as 2001:db8::1 (the port goes in Port).');
    expect(error('[db.example]')).toBe('Brackets are only for an IPv6 address, e.g. [2001:db8::1].');
    expect(error('10.0.0.256')).toBe('Not a valid IPv4 address; type four numbers 0–255 separated by dots, e.g. 10.0.0.5.');
    expect(error('db..example')).toBe('Host name must not start with a dot or have two dots in a row, e.g. db.example.com.');
    expect(error('user@db.example')).toBe('Host name may hold only letters, digits, hyphens, underscores and dots, e.g. db.example.com.');
    expect(error('-db.example')).toBe('Part "-db" of the host name may hold only letters, digits, hyphens and underscores, and must not start or end with a hyphen.');
    expect(error(`${'a'.repeat(64)}.example`)).toBe(`Part "${'a'.repeat(20)}…" of the host name is longer than 63 characters (the most between two dots).`);
    expect(error('db.123')).toBe('Not a valid host name; type a name such as db.example.com or an IP address.');
  });

  it('still accepts every kind of host, normalised', () => {
    expect(parseHost('db.example.com.')).toEqual({ kind: 'name', value: 'db.example.com' });
    expect(parseHost('café.example')).toEqual({ kind: 'name', value: 'xn--caf-dma.example' });
    expect(parseHost('10.0.0.5')).toEqual({ kind: 'ipv4', value: '10.0.0.5' });
    expect(parseHost('[2001:db8::1]')).toEqual({ kind: 'ipv6', value: '2001:db8::1' });
    expect(parseHost('::ffff:1.2.3.4')).toEqual({ kind: 'ipv6', value: '::ffff:1.2.3.4' });
  });
});
