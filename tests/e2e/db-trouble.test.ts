/**
 * Issue "Run for months unattended" §3, on the real process and in Chromium, on every store: the
 * results table is locked from another connection for 20 s (SQLite: an exclusive transaction;
 * MariaDB: LOCK TABLES … WRITE). Health turns degraded within 5 s naming the cause and the number
 * waiting, read endpoints answer within 5 s (503 on MariaDB, whose reads wait for the lock), the UI
 * shows a banner on the page, and once the lock goes every slot of a 1 s target is stored and the
 * banner clears.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshMysqlDatabase, launchBrowser, mysqlUrl, openPort, startServer, until, type ServerHandle } from './harness.ts';

const PASSWORD = 'correct horse battery';
const LOCK_MS = 20_000;

interface Lock {
  release(): Promise<void>;
}

const stores = [
  {
    name: 'sqlite',
    async env(dataDir: string) {
      return { env: { NETWATCH_DATA_DIR: dataDir }, drop: async () => undefined };
    },
    async lock(dataDir: string): Promise<Lock> {
      const other = new Database(join(dataDir, 'netwatch.db'));
      other.exec('BEGIN EXCLUSIVE');
      return {
        release: async () => {
          other.exec('ROLLBACK');
          other.close();
        },
      };
    },
  },
  ...(mysqlUrl()
    ? [
        {
          name: 'mysql',
          async env(dataDir: string) {
            const fresh = await freshMysqlDatabase(mysqlUrl()!);
            return { env: { ...fresh.env, NETWATCH_DATA_DIR: dataDir }, drop: fresh.drop, db: fresh.env };
          },
          async lock(_dataDir: string, env?: Record<string, string>): Promise<Lock> {
            const other = await mysql.createConnection({ host: env!.MYSQL_HOST, port: Number(env!.MYSQL_PORT), user: env!.MYSQL_USER, password: env!.MYSQL_PASSWORD, database: env!.MYSQL_DB });
            await other.query('LOCK TABLES results WRITE');
            return {
              release: async () => {
                await other.query('UNLOCK TABLES');
                await other.end();
              },
            };
          },
        },
      ]
    : []),
];

describe.each(stores)('database trouble on $name', (store) => {
  let server: ServerHandle;
  let browser: Browser;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-trouble-'));
  let peer: Awaited<ReturnType<typeof openPort>>;

  beforeAll(async () => {
    peer = await openPort();
    const s = await store.env(dataDir);
    env = s.env;
    drop = s.drop;
    server = await startServer({ ...env, ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await drop?.();
    await peer?.close();
  });

  it('degrades health within 5 s, answers reads, shows a banner, then stores every slot', async () => {
    const api = async (path: string, init: RequestInit = {}) => fetch(`${server.baseUrl}/api${path}`, { ...init, headers: { 'content-type': 'application/json', cookie, ...init.headers } });
    let cookie = '';
    const login = await api('/login', { method: 'POST', body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const created = await api('/targets', { method: 'POST', body: JSON.stringify({ name: 'peer', host: '127.0.0.1', port: peer.port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' }) });
    const target = (await created.json()) as { id: number };

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.request.post(`${server.baseUrl}/api/login`, { data: { username: 'admin', password: PASSWORD } });
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('link', { name: 'peer' }).first().waitFor();
    expect(await page.getByTestId('health-banner').count()).toBe(0);
    await new Promise((r) => setTimeout(r, 3_000)); // a few probes stored first

    const lock = await store.lock(dataDir, env);
    const lockedAt = Date.now();
    try {
      const degraded = await until(
        async () => {
          const r = await api('/health');
          return r.status === 503 ? ((await r.json()) as { writer: { reason: string; buffered: number }; reasons: string[] }) : null;
        },
        8_000,
        'health degraded',
      );
      expect(Date.now() - lockedAt).toBeLessThan(7_500);
      expect(degraded.writer.reason).toMatch(/not been stored for \d+ s.*waiting/);
      expect(degraded.writer.buffered).toBeGreaterThan(0);

      const t0 = Date.now();
      const read = await api(`/targets/${target.id}/results?limit=5`);
      expect(Date.now() - t0).toBeLessThan(6_500);
      expect(store.name === 'mysql' ? [503] : [200, 503]).toContain(read.status);

      await page.getByTestId('health-banner').waitFor({ timeout: 12_000 });
      expect(await page.getByTestId('health-banner').innerText()).toMatch(/not been stored/);
      const left = LOCK_MS - (Date.now() - lockedAt);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    } finally {
      await lock.release();
    }
    const releasedAt = Date.now();
    await until(async () => (await api('/health')).status === 200, 3_000, 'health ok again');
    await page.getByTestId('health-banner').waitFor({ state: 'detached', timeout: 8_000 });
    await context.close();

    // every 1 s slot from before the lock to after it is stored: no gap, nothing dropped
    const r = await api(`/targets/${target.id}/results?from=${lockedAt - 2_000}&to=${releasedAt + 1_000}&limit=1000`);
    expect(r.status).toBe(200);
    const starts = ((await r.json()) as { results: { startedAt: number }[] }).results.map((x) => x.startedAt).sort((a, b) => a - b);
    expect(starts.length).toBeGreaterThanOrEqual(Math.floor((releasedAt - lockedAt) / 1000) + 2);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeLessThan(1_500);
    const health = (await (await api('/health')).json()) as { writer: { dropped: number } };
    expect(health.writer.dropped).toBe(0);
  }, 60_000); // a scripted outage of fixed length plus recovery: ~28 s on a quiet machine
});
