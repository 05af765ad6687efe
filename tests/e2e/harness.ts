/**
 * Browser-test harness: starts the real server (dist/src/main.js) on a free loopback port with a
 * fresh data dir (SQLite) or a fresh MariaDB database, captures the setup token from its log,
 * launches Debian's Chromium through playwright-core, and tears everything down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Repository root (tests run from it). */
export const ROOT = process.cwd();
/** Where screenshots go (git-ignored). */
export const RESULTS_DIR = join(ROOT, 'test-results');

/** Chromium flags: headless, sandbox-less (containers), and no background network traffic. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** A listening TCP server on 127.0.0.1 that accepts and closes connections (an "up" target). */
export async function openPort(): Promise<{ port: number; server: Server; close: () => Promise<void> }> {
  const server = createServer((sock) => sock.end());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, server, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port on 127.0.0.1 with nothing listening (connects are refused): bound, then closed. */
export const closedPort = (): Promise<number> => freePort();

/** A running NetWatch server. */
export interface ServerHandle {
  baseUrl: string;
  /** The first-run setup token from the log, or null when none was logged. */
  setupToken: string | null;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  stop: () => Promise<void>;
}

/** MariaDB settings for the server, from NETWATCH_TEST_MYSQL_URL; null when unset. */
export function mysqlUrl(): URL | null {
  const raw = process.env.NETWATCH_TEST_MYSQL_URL;
  return raw ? new URL(raw) : null;
}

/**
 * Creates a fresh database on the MariaDB server of NETWATCH_TEST_MYSQL_URL and returns the
 * server's MYSQL_* environment plus a function that drops the database.
 */
export async function freshMysqlDatabase(url: URL): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const mysql = await import('mysql2/promise');
  const name = `netwatch_e2e_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const conn = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
  // drop databases an interrupted earlier run left behind (name carries its creation time, base 36)
  const [stale] = await conn.query("SHOW DATABASES LIKE 'netwatch\\_e2e\\_%'");
  for (const row of stale as Record<string, string>[]) {
    const db = Object.values(row)[0] ?? '';
    const born = parseInt(db.split('_')[2] ?? '', 36);
    if (Number.isFinite(born) && Date.now() - born > 3_600_000) await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
  }
  await conn.query(`CREATE DATABASE \`${name}\``);
  await conn.end();
  return {
    env: {
      MYSQL_HOST: url.hostname,
      MYSQL_PORT: url.port || '3306',
      MYSQL_DB: name,
      MYSQL_USER: decodeURIComponent(url.username || 'root'),
      MYSQL_PASSWORD: decodeURIComponent(url.password),
    },
    drop: async () => {
      const c = await mysql.createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username || 'root'),
        password: decodeURIComponent(url.password),
      });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function until<T>(check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `node dist/src/main.js` with a fresh data dir; extra env (e.g. MYSQL_*) is merged in. */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<ServerHandle> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', NETWATCH_DATA_DIR: dataDir, CORE_LOG_LEVEL: 'info', ...extraEnv };
  for (const k of ['ROOT_USER', 'ROOT_PASSWORD']) if (!(k in extraEnv)) delete env[k];
  if (!('MYSQL_HOST' in extraEnv)) for (const k of ['MYSQL_HOST', 'MYSQL_PORT', 'MYSQL_DB', 'MYSQL_USER', 'MYSQL_PASSWORD']) delete env[k];
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ raw: line });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await until(
      async () => {
        if (exited) throw new Error(`server exited early:\n${stderr}\n${JSON.stringify(logs.slice(-5))}`);
        try {
          const res = await fetch(`${baseUrl}/api/health`);
          return res.ok;
        } catch {
          return false;
        }
      },
      20_000,
      'the server health check',
    );
  } catch (e) {
    await stop();
    throw e;
  }
  const tokenLine = logs.find((l) => typeof l.setupToken === 'string');
  return { baseUrl, setupToken: (tokenLine?.setupToken as string | undefined) ?? null, logs, stop };
}

/** Launches Chromium (Debian's, /usr/bin/chromium) with a fresh temporary profile. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** Saves a full-page screenshot to test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
