/**
 * The container files (issue 9 §3), checked without a container engine: compose.yaml parsed with a
 * YAML parser (MariaDB with a named volume and a healthcheck, NetWatch waiting for it to be healthy,
 * restart unless-stopped, an environment NetWatch's own config accepts); the Dockerfile's steps are
 * README commands, its runtime stage gets production dependencies only and they cover every package
 * the built server imports; .dockerignore keeps host builds and data out; and the image's HEALTHCHECK
 * command, run for real with Node against a real NetWatch, passes while it is healthy and fails
 * once it is gone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';
import { startServer } from './helpers/server.js';

const ROOT = join(import.meta.dirname, '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const dockerfile = read('Dockerfile');
/** Dockerfile instructions with continuation lines joined: [keyword, rest]. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => [l.split(/\s+/)[0]!.toUpperCase(), l.slice(l.indexOf(' ') + 1).trim()] as const);
/** Instructions per stage, in order. */
const stages: { from: string; steps: (readonly [string, string])[] }[] = [];
for (const [k, rest] of instructions) {
  if (k === 'FROM') stages.push({ from: rest, steps: [] });
  else stages.at(-1)!.steps.push([k, rest]);
}

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml')) as {
    services: Record<
      string,
      {
        image?: string;
        build?: unknown;
        restart?: string;
        environment?: Record<string, string>;
        volumes?: string[];
        healthcheck?: { test: string[] };
        depends_on?: Record<string, { condition: string }>;
      }
    >;
    volumes: Record<string, unknown>;
  };
  const db = compose.services.mariadb!;
  const nw = compose.services.netwatch!;
  /** Compose interpolation (`${VAR:?msg}`, `${VAR:-default}`) with sample values. */
  const sample: Record<string, string> = { MARIADB_PASSWORD: 'db password 1', MARIADB_ROOT_PASSWORD: 'root password 2', ROOT_PASSWORD: 'first user password' };
  const interpolate = (v: string) => String(v).replace(/\$\{(\w+)(?::[?-]([^}]*))?\}/g, (_, name: string, dflt?: string) => sample[name] ?? (dflt !== undefined && !/^set /.test(dflt) ? dflt : ''));

  it('runs MariaDB with a named volume and a healthcheck', () => {
    expect(db.image).toMatch(/^mariadb:/);
    const mount = db.volumes!.find((v) => v.endsWith(':/var/lib/mysql'))!;
    expect(mount).toBeDefined();
    const volume = mount.split(':')[0]!;
    expect(volume).not.toMatch(/^[./~]/); // a named volume, not a host path
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(db.healthcheck!.test[0]).toMatch(/^CMD/);
    expect(db.healthcheck!.test.join(' ')).toMatch(/healthcheck\.sh --connect/);
    expect(db.restart).toBe('unless-stopped');
  });

  it('starts NetWatch once MariaDB is healthy, restarting unless stopped, built from this Dockerfile', () => {
    expect(nw.depends_on).toEqual({ mariadb: { condition: 'service_healthy' } });
    expect(nw.restart).toBe('unless-stopped');
    expect(nw.build).toBe('.');
  });

  it("gives NetWatch an environment its config accepts, pointing at MariaDB's database and user", () => {
    const env = Object.fromEntries(Object.entries(nw.environment!).map(([k, v]) => [k, interpolate(v)]));
    const config = loadConfig(env);
    expect(config.mysql).toMatchObject({
      host: 'mariadb',
      port: 3306,
      database: db.environment!.MARIADB_DATABASE,
      user: db.environment!.MARIADB_USER,
      password: interpolate(db.environment!.MARIADB_PASSWORD!),
    });
    expect(config.rootUser).toEqual({ username: 'admin', password: 'first user password' });
    expect(config.metricsToken).toBeNull();
    // no password is written into the file: each must come from the environment
    for (const v of [db.environment!.MARIADB_PASSWORD, db.environment!.MARIADB_ROOT_PASSWORD, nw.environment!.MYSQL_PASSWORD, nw.environment!.ROOT_PASSWORD]) expect(v).toMatch(/^\$\{\w+:\?/);
  });
});

describe('Dockerfile', () => {
  it('runs only steps that the README gives as commands', () => {
    const readme = read('README.md');
    const commands = new Set([...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n').map((l) => l.trim())));
    const runs = stages.flatMap((s) => s.steps.filter(([k]) => k === 'RUN').map(([, r]) => r));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const r of runs) expect(commands, r).toContain(r);
    const cmd = JSON.parse(stages.at(-1)!.steps.find(([k]) => k === 'CMD')![1]) as string[];
    expect([...commands].some((c) => c.endsWith(cmd.join(' ')))).toBe(true);
  });

  it('gives the runtime stage production dependencies only, and they cover what the built server imports', () => {
    const runtime = stages.at(-1)!;
    const modules = runtime.steps.find(([k, r]) => k === 'COPY' && r.endsWith('./node_modules'))![1];
    const from = /--from=(\w+)/.exec(modules)![1];
    const source = stages.find((s) => s.from.endsWith(` AS ${from}`))!;
    expect(source.steps.filter(([k]) => k === 'RUN').map(([, r]) => r)).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    // every bare import in dist/src is a production dependency (run `npm run build` first)
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const files = readdirSync(join(ROOT, 'dist', 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(10);
    const imported = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(join(ROOT, 'dist', 'src', f), 'utf8').matchAll(/(?:^|\n)\s*import\s[^'"]*?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    for (const name of imported) expect(Object.keys(pkg.dependencies), name).toContain(name);
  });

  it('keeps host node_modules, data, .git and dist out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const p of ['node_modules', 'data', '.git', 'dist']) expect(ignored).toContain(p);
  });

  it('HEALTHCHECK (Node fetch, no curl) passes against a healthy NetWatch and fails once it is gone', async () => {
    const hc = stages.at(-1)!.steps.find(([k]) => k === 'HEALTHCHECK')![1];
    const argv = JSON.parse(hc.slice(hc.indexOf('CMD') + 3).trim()) as string[];
    expect(argv[0]).toBe('node');
    const dataDir = mkdtempSync(join(tmpdir(), 'nw-hc-'));
    const server = await startServer({ NETWATCH_DATA_DIR: dataDir, CORE_LOG_LEVEL: 'warn' });
    const port = new URL(server.url).port;
    const check = () => spawnSync(process.execPath, argv.slice(1), { env: { PORT: port }, encoding: 'utf8', timeout: 10_000 }).status;
    try {
      expect(check()).toBe(0);
    } finally {
      await server.stop();
    }
    expect(check()).toBe(1);
    // under NETWATCH_BASE_PATH it asks <base>/api/health
    const sub = await startServer({ NETWATCH_DATA_DIR: dataDir, CORE_LOG_LEVEL: 'warn', NETWATCH_BASE_PATH: '/netwatch/' }, { anyHealth: true });
    const run = (env: Record<string, string>) => spawnSync(process.execPath, argv.slice(1), { env: { PORT: new URL(sub.url).port, ...env }, encoding: 'utf8', timeout: 10_000 }).status;
    try {
      expect(run({ NETWATCH_BASE_PATH: '/netwatch/' })).toBe(0);
      expect(run({ NETWATCH_BASE_PATH: '/netwatch' })).toBe(0);
      expect(run({})).toBe(1);
    } finally {
      await sub.stop();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
});
