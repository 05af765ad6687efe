/**
 * The `netwatch` CLI (issue 14 §3) as a child process against a real NetWatch server (built,
 * started by tests/helpers/server.ts on loopback, SQLite): export to stdout and to a file, dry
 * run, merge and replace imports, users and channels sections, per-path errors and exit codes, a revoked token refused.
 * Needs `npm run build` first (npm test builds).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './helpers/server.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'netwatch.js');
const target = { host: '127.0.0.1', intervalSeconds: 60, retentionValue: 1, retentionUnit: 'day', enabled: false };

describe('netwatch CLI against a running server', () => {
  let server: ServerProcess;
  let dir: string;
  let token = '';
  let cookie = '';

  /** Runs the CLI; resolves with exit code, stdout and stderr. */
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', NETWATCH_URL: server.url, NETWATCH_TOKEN: token, ...env }, cwd: dir }, (error, out, err) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err }),
      );
    });
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api${path}`, { method, headers: { cookie, origin: server.url, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netwatch-cli-'));
    server = await startServer({ NETWATCH_DATA_DIR: join(dir, 'data'), ROOT_USER: 'root', ROOT_PASSWORD: 'root password 1', CORE_LOG_LEVEL: 'warn', HTTP_LOG_LEVEL: 'warn' });
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'root', password: 'root password 1' }),
    });
    expect(login.status).toBe(204);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const t = await api('POST', '/tokens', { name: 'cli test' });
    expect(t.status).toBe(201);
    token = ((await t.json()) as { token: string }).token;
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports (dry run first, then for real), exports the same file back, and a second import changes nothing', async () => {
    const file = {
      version: 1,
      targets: [
        { key: 'a', name: 'Alpha', port: 7001, ...target },
        { name: 'Beta', port: 7002, ...target, timeoutMs: null },
      ],
    };
    writeFileSync(join(dir, 'nw.yaml'), YAML.stringify(file));
    const dry = await cli(['import', 'nw.yaml', '--dry-run']);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/^Dry run \(nothing changed\) in merge mode: 2 to create, 0 to update, 0 to delete, 0 unchanged\n\+ Alpha \[a\]\n\+ Beta\n$/);
    expect(((await (await api('GET', '/targets')).json()) as { targets: unknown[] }).targets).toHaveLength(0);
    const real = await cli(['import', 'nw.yaml']);
    expect(real.code, real.err).toBe(0);
    expect(real.out).toMatch(/^Imported in merge mode: 2 created, 0 updated, 0 deleted, 0 unchanged/);
    const exp = await cli(['export']);
    expect(exp.code, exp.err).toBe(0);
    expect(YAML.parse(exp.out)).toEqual({
      version: 1,
      targets: [
        {
          key: 'a',
          name: 'Alpha',
          host: '127.0.0.1',
          port: 7001,
          intervalSeconds: 60,
          timeoutMs: null,
          retentionValue: 1,
          retentionUnit: 'day',
          enabled: false,
          sourceAddress: null,
          sourcePortMin: null,
          sourcePortMax: null,
          closeMode: 'fin',
          addressFamily: 'any',
          addressPolicy: 'fallback',
          failureThreshold: 3,
          recoveryThreshold: 1,
          locations: [],
        },
        expect.objectContaining({ name: 'Beta', port: 7002 }),
      ],
    });
    writeFileSync(join(dir, 'exported.yaml'), exp.out);
    const again = await cli(['import', 'exported.yaml']);
    expect(again.out).toMatch(/0 created, 0 updated, 0 deleted, 2 unchanged/);
    expect((await cli(['export', '--format', 'json', '--out', 'nw.json'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'nw.json'), 'utf8'))).toEqual(YAML.parse(exp.out));
  });

  it('--replace deletes what the file omits and prints the changes', async () => {
    const file = { version: 1, targets: [{ key: 'a', name: 'Alpha 2', port: 7001, ...target }] };
    writeFileSync(join(dir, 'one.json'), JSON.stringify(file));
    const r = await cli(['import', 'one.json', '--replace']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('~ Alpha 2 (id ');
    expect(r.out).toContain('    name: "Alpha" → "Alpha 2"');
    expect(r.out).toMatch(/- Beta \(id \d+\)/);
    expect(((await (await api('GET', '/targets')).json()) as { targets: { name: string }[] }).targets.map((t) => t.name)).toEqual(['Alpha 2']);
  });

  it('export --users adds the users (no passwords); importing it elsewhere prints the users it creates', async () => {
    const exp = await cli(['export', '--users']);
    expect(exp.code, exp.err).toBe(0);
    const file = YAML.parse(exp.out) as { users: { username: string; role: string }[] };
    expect(file.users).toEqual([{ username: 'root', role: 'admin' }]);
    expect(exp.out).not.toMatch(/password|hash/i);
    writeFileSync(join(dir, 'users.yaml'), YAML.stringify({ ...file, users: [...file.users, { username: 'ci-viewer', role: 'viewer' }] }));
    const dry = await cli(['import', 'users.yaml', '--dry-run']);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('+ user ci-viewer (viewer; no password until an admin sets one)');
  });

  it("export --channels adds the channels without secrets and each target's channels by name; importing prints the channels it creates and the secrets they lack", async () => {
    const secret = 'cli-signing-secret-0123456789';
    const ch = await api('POST', '/channels', { name: 'ops hook', kind: 'webhook', config: { url: 'https://hooks.example.com/nw', secret } });
    expect(ch.status).toBe(201);
    const alpha = ((await (await api('GET', '/targets')).json()) as { targets: { id: number }[] }).targets[0]!;
    expect((await api('PUT', `/targets/${alpha.id}/channels`, { channelIds: [((await ch.json()) as { id: number }).id] })).status).toBe(200);
    const exp = await cli(['export', '--channels']);
    expect(exp.code, exp.err).toBe(0);
    expect(exp.out).not.toContain(secret);
    const file = YAML.parse(exp.out) as { targets: { channels: string[] }[]; channels: unknown[] };
    expect(file.channels).toEqual([{ name: 'ops hook', kind: 'webhook', isDefault: false, config: { url: 'https://hooks.example.com/nw' } }]);
    expect(file.targets[0]!.channels).toEqual(['ops hook']);
    writeFileSync(join(dir, 'channels.yaml'), exp.out);
    expect((await cli(['import', 'channels.yaml'])).out).toMatch(/0 created, 0 updated, 0 deleted, 1 unchanged/);
    file.channels.push({ name: 'pager', kind: 'slack', config: {} });
    writeFileSync(join(dir, 'channels2.yaml'), YAML.stringify(file));
    const dry = await cli(['import', 'channels2.yaml', '--dry-run']);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('+ channel pager (slack; sends nothing until url is set on the Channels page)');
  });

  it('exits 1 with every problem by path and changes nothing; exits 2 on wrong usage or no token', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      YAML.stringify({
        version: 1,
        targets: [
          { name: 'X', port: 0, ...target },
          { name: '', port: 1, ...target },
        ],
      }),
    );
    const r = await cli(['import', 'bad.yaml', '--replace']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('netwatch: NetWatch answered 400');
    expect(r.err).toContain('  targets.0.port: Port must be at least 1.');
    expect(r.err).toContain('  targets.1.name: Name is required.');
    expect(((await (await api('GET', '/targets')).json()) as { targets: unknown[] }).targets).toHaveLength(1);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['import'])).code).toBe(2);
    expect((await cli(['export', '--bogus'])).code).toBe(2);
    const none = await cli(['export'], { NETWATCH_TOKEN: '' });
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/NETWATCH_TOKEN is not set/);
    expect((await cli(['import', 'missing.yaml'])).err).toMatch(/Cannot read missing.yaml/);
    // what `npm run netwatch -- export > f` (no --silent) writes: npm's banner, then the file
    writeFileSync(join(dir, 'banner.yaml'), `\n> netwatch@0.1.0 netwatch\n> node dist/src/cli/netwatch.js export\n\n${readFileSync(join(dir, 'exported.yaml'), 'utf8')}`);
    const banner = await cli(['import', 'banner.yaml']);
    expect(banner.code).toBe(1);
    expect(banner.err).toContain("banner.yaml starts with npm's banner");
  });

  it('a revoked token is refused on the next run', async () => {
    const list = (await (await api('GET', '/tokens')).json()) as { tokens: { id: number; lastUsedAt: number | null; lastUsedFrom: string | null }[] };
    expect(list.tokens[0]!.lastUsedFrom).toBe('127.0.0.1');
    expect((await api('DELETE', `/tokens/${list.tokens[0]!.id}`)).status).toBe(204);
    const r = await cli(['export']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('NetWatch answered 401');
  });
});
