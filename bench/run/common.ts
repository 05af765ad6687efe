/**
 * What the bench sections share: fresh stores, the reproduce-this-figure command, the target
 * rows they create, and small number helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openMysql } from '../../src/store/mysql.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { createTarget } from '../../src/store/targets.js';
import { freshMysqlDatabase } from '../../tests/helpers/stores.js';
import type { Peer } from './listeners.js';

/** A logger that writes nothing (the actors' logs are not part of the figures). */
export const silent = pino({ level: 'silent' });
/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Median of a non-empty list. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Rounded to one decimal. */
export const r1 = (x: number) => Math.round(x * 10) / 10;
/** Bytes as whole MiB. */
export const mb = (b: number) => Math.round(b / 1048576);
/** A share as a percentage with two decimals, `–` for none. */
export function pct(x: number | null | undefined): string {
  return x == null ? '–' : `${(x * 100).toFixed(2)} %`;
}

/** Reproduce one figure: the same bench, narrowed to that section. */
export function command(section: string, extra: Record<string, string | number> = {}): string {
  const env = extra.dialect === 'mysql' ? 'NETWATCH_TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/x ' : '';
  const flags = Object.entries({ only: section, ...extra })
    .map(([k, v]) => `--${k} ${v}`)
    .join(' ');
  return `${env}npm run bench -- ${flags}`;
}

/** A fresh, migrated store and how to remove it. */
export interface Store {
  db: Db;
  dialect: 'sqlite' | 'mysql';
  cleanup(): Promise<void>;
}

export async function openFresh(dialect: 'sqlite' | 'mysql'): Promise<Store> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'netwatch-bench-'));
    const db = openSqlite(join(dir, 'netwatch.db'));
    await migrate(db);
    return {
      db,
      dialect,
      cleanup: async () => {
        await db.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const fresh = await freshMysqlDatabase();
  if (!fresh) throw new Error('NETWATCH_TEST_MYSQL_URL is not set');
  const db = await openMysql(fresh.cfg);
  await migrate(db);
  return {
    db,
    dialect,
    cleanup: async () => {
      await db.close().catch(() => undefined);
      await fresh.drop();
    },
  };
}

export async function countRows(db: Db, table = 'results'): Promise<number> {
  const r = await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM `.append(table));
  return Number(r?.n ?? 0);
}

/**
 * Creates `n` enabled targets at 1 s named `bench-<i>`, spread over `peers` (8 at a time on MySQL).
 */
export async function createTargets(db: Db, n: number, peers: Peer[]): Promise<void> {
  const now = Date.now();
  const make = (i: number) => {
    const p = peers[i % peers.length]!;
    return createTarget(db, { name: `bench-${i}`, host: p.host, port: p.port, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day', enabled: true }, now);
  };
  const par = db.dialect === 'mysql' ? 8 : 1;
  for (let i = 0; i < n; i += par) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(n, i + par); j++) batch.push(make(j));
    await Promise.all(batch);
  }
}
