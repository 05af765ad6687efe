/**
 * Shared setup of the high-density chart tests (issue 13): a real server on SQLite or on a fresh
 * MariaDB database, a logged-in Chromium page, and results stored through the real store
 * (storeBatch, as the writer stores them) into the server's own database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ProbeResult } from '../../src/domain/types.js';
import type { Db } from '../../src/store/db.js';
import { openMysql } from '../../src/store/mysql.js';
import { storeBatch } from '../../src/store/rollups.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { freshMysqlDatabase, launchBrowser, mysqlUrl, startServer, type ServerHandle } from './harness.ts';

/** The stores the browser tests run on: SQLite always, MariaDB when NETWATCH_TEST_MYSQL_URL is set. */
export const E2E_STORES: ('sqlite' | 'mysql')[] = mysqlUrl() ? ['sqlite', 'mysql'] : ['sqlite'];

/** A running server, a browser, and how to seed and log in. */
export interface ChartRig {
  server: ServerHandle;
  browser: Browser;
  cookie: string;
  /** Creates a target (disabled unless `enabled`), @returns its id. */
  target(name: string, enabled?: boolean): Promise<number>;
  /** Stores results into the server's database. */
  store(rows: ProbeResult[]): Promise<void>;
  /** Runs `fn` on a connection of its own to the server's database. */
  withDb<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** A new logged-in page (1280×900); `bypassCSP` lets a test inject axe-core as an inline script. */
  page(opts?: { bypassCSP?: boolean; timezoneId?: string }): Promise<Page>;
  close(): Promise<void>;
}

const PASSWORD = 'dense charts check';

/** Starts a server on `store` and a browser. */
export async function chartRig(store: 'sqlite' | 'mysql'): Promise<ChartRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-e2e-charts-'));
  const my = store === 'mysql' ? await freshMysqlDatabase(mysqlUrl()!) : null;
  const server = await startServer({ NETWATCH_DATA_DIR: dataDir, ROOT_USER: 'admin', ROOT_PASSWORD: PASSWORD, ...my?.env });
  const browser = await launchBrowser();
  const login = await fetch(`${server.baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const open = async (): Promise<Db> =>
    my
      ? openMysql({ host: my.env.MYSQL_HOST!, port: Number(my.env.MYSQL_PORT), user: my.env.MYSQL_USER!, password: my.env.MYSQL_PASSWORD ?? '', database: my.env.MYSQL_DB!, poolSize: 2 })
      : openSqlite(join(dataDir, 'netwatch.db'));
  return {
    server,
    browser,
    cookie,
    async target(name, enabled = false) {
      const res = await fetch(`${server.baseUrl}/api/targets`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name, host: '127.0.0.1', port: 9, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'year', enabled }),
      });
      if (res.status !== 201) throw new Error(`create target: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: number }).id;
    },
    async store(rows) {
      const db = await open();
      try {
        for (let i = 0; i < rows.length; i += 1000) await storeBatch(db, rows.slice(i, i + 1000));
      } finally {
        await db.close();
      }
    },
    async withDb(fn) {
      const db = await open();
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    async page(opts = {}) {
      const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 900 }, timezoneId: opts.timezoneId ?? 'Europe/Berlin', bypassCSP: opts.bypassCSP ?? false });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto('/login');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.stop();
      await my?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A probe result with the fields the charts read. */
export function probe(targetId: number, startedAt: number, outcome: ProbeResult['outcome'], connectMs: number | null, localPort: number | null, errorCode: string | null = null): ProbeResult {
  return {
    targetId,
    startedAt,
    outcome,
    connectMs: outcome === 'success' ? connectMs : null,
    dnsMs: null,
    address: '127.0.0.1',
    localPort,
    localAddress: localPort == null ? null : '127.0.0.1',
    errorCode,
  };
}
