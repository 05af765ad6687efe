/** loadConfig rules, and the process refusing to start on a bad config. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultNodeName, loadConfig } from '../src/config.js';
import { listener } from './helpers/net.js';

/** The problems loadConfig reports for `env` (fails the test when it does not throw). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('config_invalid');
    return (err as ConfigError).problems;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

const MYSQL = { MYSQL_HOST: 'db.local', MYSQL_DB: 'netwatch', MYSQL_USER: 'nw', MYSQL_PASSWORD: 'pw' };

describe('loadConfig', () => {
  it('reads NETWATCH_PUBLIC_URL without its trailing slash, and refuses anything but http(s)', () => {
    expect(loadConfig({ NETWATCH_PUBLIC_URL: 'https://nw.example.test/base/' }).publicUrl).toBe('https://nw.example.test/base');
    expect(() => loadConfig({ NETWATCH_PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/NETWATCH_PUBLIC_URL must be an http/);
    expect(() => loadConfig({ NETWATCH_PUBLIC_URL: 'not a url' })).toThrow(/NETWATCH_PUBLIC_URL/);
  });

  it('has defaults', () => {
    expect(loadConfig({})).toEqual({
      mysql: null,
      dataDir: resolve('./data'),
      rootUser: null,
      coreLogLevel: 'info',
      httpLogLevel: 'info',
      host: '0.0.0.0',
      port: 8080,
      sessionSecret: null,
      sessionTtlMs: 12 * 3_600_000,
      trustProxy: false,
      metricsToken: null,
      metricsPerTarget: true,
      basePath: '',
      publicUrl: null,
      auditRetentionMs: 365 * 86_400_000,
      nodeName: defaultNodeName(),
      location: 'default',
      maxEventStreams: 64,
    });
    expect(loadConfig({ PORT: '', HOST: '', CORE_LOG_LEVEL: '' }).port).toBe(8080);
  });

  it('reads the node name and location (issue 10), and makes the host name a valid default', () => {
    const c = loadConfig({ NETWATCH_NODE_NAME: 'a1', NETWATCH_LOCATION: 'fra-1' });
    expect([c.nodeName, c.location]).toEqual(['a1', 'fra-1']);
    expect(defaultNodeName('web 1.example.com')).toBe('web-1.example.com');
    expect(defaultNodeName('-x'.repeat(40))).toHaveLength(64);
    expect(defaultNodeName('')).toBe('netwatch');
    expect(defaultNodeName()).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
    expect(problems({ NETWATCH_NODE_NAME: 'a b', NETWATCH_LOCATION: 'a,b' })).toEqual([
      expect.stringMatching(/^NETWATCH_NODE_NAME: Node name must be 1–64 letters/),
      expect.stringMatching(/^NETWATCH_LOCATION: Location must be 1–32 letters/),
    ]);
  });

  it('reads MySQL settings, with an empty password allowed and any password kept verbatim', () => {
    expect(loadConfig({ ...MYSQL, MYSQL_PORT: '3307' }).mysql).toEqual({ host: 'db.local', port: 3307, database: 'netwatch', user: 'nw', password: 'pw', poolSize: 10 });
    expect(loadConfig({ ...MYSQL, MYSQL_POOL_SIZE: '25' }).mysql).toMatchObject({ poolSize: 25 });
    expect(loadConfig({ ...MYSQL, MYSQL_PASSWORD: '' }).mysql).toMatchObject({ password: '', port: 3306 });
    const odd = ' p%40ss@w:rd/#?&=ü密码 ';
    expect(loadConfig({ ...MYSQL, MYSQL_PASSWORD: odd, MYSQL_USER: 'üser@x' }).mysql).toMatchObject({ password: odd, user: 'üser@x' });
  });

  it.each(['0', '101', '1.5', 'ten', '-1'])('refuses MYSQL_POOL_SIZE=%s with its range', (v) => {
    expect(problems({ ...MYSQL, MYSQL_POOL_SIZE: v })).toEqual(['MYSQL_POOL_SIZE: MYSQL_POOL_SIZE must be a whole number 1–100']);
  });

  it('lists every MySQL problem at once when MYSQL_HOST is set alone', () => {
    const p = problems({ MYSQL_HOST: '127.0.0.1' });
    expect(p).toHaveLength(3);
    expect(p[0]).toMatch(/^MYSQL_DB: /);
    expect(p[1]).toMatch(/^MYSQL_USER: /);
    expect(p[2]).toMatch(/^MYSQL_PASSWORD: .*empty/);
  });

  it('lists field and cross-field problems together', () => {
    const p = problems({ MYSQL_HOST: 'h', PORT: 'x', CORE_LOG_LEVEL: 'loud', ROOT_USER: 'root', NETWATCH_SESSION_TTL: 'soon' });
    for (const key of ['PORT', 'CORE_LOG_LEVEL', 'NETWATCH_SESSION_TTL', 'MYSQL_DB', 'MYSQL_USER', 'MYSQL_PASSWORD', 'ROOT_PASSWORD']) {
      expect(
        p.filter((line) => line.startsWith(`${key}: `)),
        key,
      ).toHaveLength(1);
    }
    expect(p).toHaveLength(7);
  });

  it.each([
    [{ PORT: '0' }, 'PORT'],
    [{ PORT: '65536' }, 'PORT'],
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ ...MYSQL, MYSQL_PORT: '99999' }, 'MYSQL_PORT'],
    [{ CORE_LOG_LEVEL: 'verbose' }, 'CORE_LOG_LEVEL'],
    [{ HTTP_LOG_LEVEL: 'INFO' }, 'HTTP_LOG_LEVEL'],
    [{ NETWATCH_SESSION_SECRET: 's'.repeat(31) }, 'NETWATCH_SESSION_SECRET'],
    [{ NETWATCH_SESSION_TTL: 'forever' }, 'NETWATCH_SESSION_TTL'],
    [{ NETWATCH_SESSION_TTL: '59s' }, 'NETWATCH_SESSION_TTL'],
    [{ NETWATCH_SESSION_TTL: '0' }, 'NETWATCH_SESSION_TTL'],
    [{ NETWATCH_SESSION_TTL: '401d' }, 'NETWATCH_SESSION_TTL'],
    [{ NETWATCH_AUDIT_RETENTION: '23h' }, 'NETWATCH_AUDIT_RETENTION'],
    [{ NETWATCH_AUDIT_RETENTION: '3651d' }, 'NETWATCH_AUDIT_RETENTION'],
    [{ NETWATCH_AUDIT_RETENTION: 'a year' }, 'NETWATCH_AUDIT_RETENTION'],
    [{ HOST: '999.1.1.1' }, 'HOST'],
    [{ HOST: 'bad host' }, 'HOST'],
    [{ ROOT_USER: 'root user', ROOT_PASSWORD: 'root password' }, 'ROOT_USER'],
    [{ ROOT_USER: 'root' }, 'ROOT_PASSWORD'],
    [{ ROOT_PASSWORD: 'root password' }, 'ROOT_USER'],
    [{ ROOT_USER: 'root', ROOT_PASSWORD: 'short' }, 'ROOT_PASSWORD'],
  ])('rejects %j with one problem about %s', (env, key) => {
    const p = problems(env);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(new RegExp(`^${key}: `));
  });

  it('accepts good values at the limits', () => {
    const c = loadConfig({
      PORT: '65535',
      NETWATCH_SESSION_SECRET: 's'.repeat(32),
      NETWATCH_SESSION_TTL: '1m',
      CORE_LOG_LEVEL: 'trace',
      HTTP_LOG_LEVEL: 'silent',
      ROOT_USER: 'root',
      ROOT_PASSWORD: '  8 chars',
    });
    expect(c).toMatchObject({ port: 65535, sessionSecret: 's'.repeat(32), sessionTtlMs: 60_000, coreLogLevel: 'trace', httpLogLevel: 'silent', rootUser: { username: 'root', password: '  8 chars' } });
    expect(loadConfig({ NETWATCH_SESSION_TTL: '7d' }).sessionTtlMs).toBe(7 * 86_400_000);
    expect(loadConfig({ NETWATCH_AUDIT_RETENTION: '1d' }).auditRetentionMs).toBe(86_400_000);
    expect(loadConfig({ NETWATCH_AUDIT_RETENTION: '3650d' }).auditRetentionMs).toBe(3650 * 86_400_000);
  });

  it('never puts secret values into the problems', () => {
    const secret = 'my-secret-value';
    const p = problems({ NETWATCH_SESSION_SECRET: secret, ROOT_USER: 'root', ROOT_PASSWORD: 'tiny', MYSQL_HOST: 'h', MYSQL_PASSWORD: secret, MYSQL_PORT: secret });
    expect(p.join('\n')).not.toContain(secret);
    expect(p.join('\n')).not.toContain('tiny');
  });

  it('reads the metrics token and per-target switch, naming what is wrong', () => {
    const token = 'a'.repeat(15) + '.~+/-_9==';
    expect(loadConfig({ NETWATCH_METRICS_TOKEN: token, NETWATCH_METRICS_PER_TARGET: 'false' })).toMatchObject({ metricsToken: token, metricsPerTarget: false });
    expect(loadConfig({ NETWATCH_METRICS_TOKEN: '' }).metricsToken).toBeNull();
    for (const [value, message] of [
      ['short', /NETWATCH_METRICS_TOKEN: .*at least 16/],
      ['has a space in it, 16+ chars', /NETWATCH_METRICS_TOKEN: .*RFC 6750/],
      ['quote"quote"quote"quote', /NETWATCH_METRICS_TOKEN: .*RFC 6750/],
    ] as const) {
      expect(() => loadConfig({ NETWATCH_METRICS_TOKEN: value })).toThrow(message);
    }
    expect(() => loadConfig({ NETWATCH_METRICS_PER_TARGET: 'no' })).toThrow(/NETWATCH_METRICS_PER_TARGET: .*true or false/);
  });

  it('reads the base path, normalised without its trailing slash', () => {
    for (const [raw, want] of [
      ['/netwatch/', '/netwatch'],
      ['/netwatch', '/netwatch'],
      ['/', ''],
      ['', ''],
      ['/tools/net-watch_2~/', '/tools/net-watch_2~'],
    ]) {
      expect(loadConfig({ NETWATCH_BASE_PATH: raw }).basePath, raw).toBe(want);
    }
    for (const bad of ['netwatch/', '/net watch/', '//netwatch', '/a//b', '/../x', '/./x', '/x?y', '/x#y', '/%2e%2e/', '/über/']) {
      expect(() => loadConfig({ NETWATCH_BASE_PATH: bad }), bad).toThrow(/NETWATCH_BASE_PATH: .*URL path like \/netwatch\//);
    }
  });

  it('returns a frozen config', () => {
    const c = loadConfig({ ...MYSQL, ROOT_USER: 'root', ROOT_PASSWORD: 'root password' });
    for (const o of [c, c.mysql, c.rootUser]) expect(Object.isFrozen(o)).toBe(true);
    expect(() => ((c as { port: number }).port = 1)).toThrow(TypeError);
    expect(() => ((c.mysql as { host: string }).host = 'x')).toThrow(TypeError);
  });
});

describe('the process with a bad config', () => {
  it('exits 1 with one stderr line per problem, creating nothing and not dialling the DB', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'netwatch-cfg-'));
    const db = await listener();
    try {
      const tsx = resolve('node_modules/.bin/tsx');
      const child = spawn(tsx, [resolve('src/main.ts')], {
        cwd,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, MYSQL_HOST: '127.0.0.1', MYSQL_PORT: String(db.port), MYSQL_USER: 'nw' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      const [code] = (await once(child, 'exit')) as [number];
      expect(code).toBe(1);
      const lines = err.trimEnd().split('\n');
      expect(lines, err).toHaveLength(2);
      expect(lines[0]).toMatch(/^netwatch: config: MYSQL_DB: /);
      expect(lines[1]).toMatch(/^netwatch: config: MYSQL_PASSWORD: /);
      expect(out).toBe('');
      expect(readdirSync(cwd)).toEqual([]);
      expect(db.accepted()).toBe(0);
    } finally {
      await db.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
