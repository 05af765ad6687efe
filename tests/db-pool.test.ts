/**
 * Issue "Security" §2 on a private MariaDB with `max_connections` 10: while another user holds 8
 * sessions, a burst of API requests waits for pooled connections instead of failing, the writer's
 * own connection keeps storing results, and health names the limit. Also: idle connections the
 * server closes (`wait_timeout`) are replaced without an error or a degraded health.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { MysqlConfig } from '../src/config.js';
import type { ProbeResult } from '../src/domain/types.js';
import { migrate } from '../src/store/migrate.js';
import { openMysql } from '../src/store/mysql.js';
import { storeBatch } from '../src/store/rollups.js';
import { createTarget } from '../src/store/targets.js';
import type { Db } from '../src/store/db.js';
import { SQL } from 'sql-template-strings';
import { testApp } from './helpers/app.js';
import { privateMariadbAvailable, startPrivateMariadb, type PrivateMariadb } from './helpers/private-mariadb.js';

const available = privateMariadbAvailable();

/** Creates database `nw` and a non-SUPER user `name` with every right on it (SUPER users get an extra slot). */
async function userWithDb(server: PrivateMariadb, name: string): Promise<MysqlConfig> {
  const root = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
  await root.query('CREATE DATABASE IF NOT EXISTS nw CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  await root.query(`CREATE USER '${name}'@'127.0.0.1' IDENTIFIED BY 'pw-${name}'`);
  await root.query(`GRANT ALL ON nw.* TO '${name}'@'127.0.0.1'`);
  await root.end();
  return { host: '127.0.0.1', port: server.port, user: name, password: `pw-${name}`, database: 'nw', poolSize: 10 };
}

function results(targetId: number, from: number, n: number): ProbeResult[] {
  return Array.from({ length: n }, (_, i) => ({
    targetId,
    startedAt: from + i * 1000,
    outcome: 'success' as const,
    connectMs: 1.5,
    dnsMs: null,
    address: '127.0.0.1',
    localPort: 40000 + i,
    errorCode: null,
  }));
}

describe.skipIf(!available && process.env.CI !== 'true')('MySQL pool under a connection limit', () => {
  let server: PrivateMariadb;
  beforeAll(async () => {
    server = await startPrivateMariadb(['--max-connections=10']);
  });
  afterAll(async () => server?.stop());

  it('answers every request of a burst while another user holds 8 of 10 connections, and keeps storing', async () => {
    const cfg = await userWithDb(server, 'netwatch');
    const otherCfg = await userWithDb(server, 'other');
    let db: Db | undefined;
    const held: mysql.Connection[] = [];
    try {
      for (let i = 0; i < 8; i++) held.push(await mysql.createConnection(otherCfg as mysql.ConnectionOptions));
      db = await openMysql(cfg);
      await migrate(db);
      const target = await createTarget(db, { name: 't', host: '127.0.0.1', port: 1, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day', enabled: false }, 0);
      const { client } = await testApp(db);
      const c = client();
      await c.login('admin', 'correct horse');
      // NetWatch holds its writer's connection and one for the API: the server is full.
      await expect(mysql.createConnection(otherCfg as mysql.ConnectionOptions)).rejects.toMatchObject({ code: 'ER_CON_COUNT_ERROR' });

      const from = Date.UTC(2030, 0, 1);
      const writes = (async () => {
        for (let i = 0; i < 10; i++) await storeBatch(db!.forWriter(), results(target.id, from + i * 100_000, 50));
      })();
      const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => c.req('GET', i % 2 ? '/api/targets' : `/api/targets/${target.id}/results?from=0&to=${from + 2_000_000}`)));
      await writes;
      expect(burst.map((r) => r.status)).toEqual(new Array(20).fill(200));
      const stored = await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM results`);
      expect(Number(stored!.n)).toBe(500);

      const health = await c.req('GET', '/api/health');
      expect(health.status).toBe(503);
      expect(health.json.db).toBe('degraded');
      expect(health.json.dbReason).toMatch(/ER_CON_COUNT_ERROR/);
      expect(health.json.dbReason).not.toMatch(/netwatch|127\.0\.0\.1/);
    } finally {
      for (const h of held) await h.end().catch(() => undefined);
      await db?.close();
    }
  });

  it('replaces idle connections the server closed after wait_timeout, without errors or degraded health', async () => {
    const cfg = await userWithDb(server, 'idle');
    const root = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await root.query(`ALTER USER 'idle'@'127.0.0.1' WITH MAX_USER_CONNECTIONS 20`);
    await root.query('SET GLOBAL wait_timeout = 2');
    await root.end();
    const db = await openMysql(cfg);
    try {
      await Promise.all([db.get(SQL`SELECT SLEEP(0.2)`), db.get(SQL`SELECT SLEEP(0.2)`), db.get(SQL`SELECT SLEEP(0.2)`)]);
      await new Promise((r) => setTimeout(r, 3_000)); // the server closes every idle connection
      for (let i = 0; i < 5; i++) expect(await db.get<{ one: number }>(SQL`SELECT 1 AS one`)).toEqual({ one: 1 });
      await db.forWriter().get(SQL`SELECT 1 AS one`);
      expect(db.health(Date.now())).toEqual({ ok: true, reason: null });
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!available && process.env.CI !== 'true')('MySQL pool when locks are held or the server goes', () => {
  let server: PrivateMariadb;
  let db: Db;
  let c: Awaited<ReturnType<typeof testApp>>['client'] extends () => infer C ? C : never;
  let other: mysql.Connection;
  beforeAll(async () => {
    server = await startPrivateMariadb();
    const cfg = await userWithDb(server, 'netwatch');
    db = await openMysql(cfg);
    await migrate(db);
    await createTarget(db, { name: 't', host: '127.0.0.1', port: 1, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day', enabled: false }, 0);
    c = (await testApp(db)).client();
    await c.login('admin', 'correct horse');
    other = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', database: 'nw' });
  });
  afterAll(async () => {
    await other?.end().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await server?.stop();
  });

  const timed = async (method: string, path: string) => {
    const t0 = performance.now();
    const r = await c.req(method, path);
    return { status: r.status, error: r.json?.error as string | undefined, ms: performance.now() - t0 };
  };

  it('answers 503 within 5 s while a table is locked, and the pool stays usable for other tables', async () => {
    await other.query('LOCK TABLES results WRITE');
    try {
      const reads = await Promise.all(Array.from({ length: 10 }, () => timed('GET', '/api/targets/1/results?limit=5')));
      for (const r of reads) {
        expect(r.status).toBe(503);
        expect(r.error).toBe('database_unavailable');
        expect(r.ms).toBeLessThan(6_000);
      }
      // nothing waits behind those statements: a request on another table answers at once
      const t = await timed('GET', '/api/targets/1');
      expect(t.status).toBe(200);
      expect(t.ms).toBeLessThan(1_500);
    } finally {
      await other.query('UNLOCK TABLES');
    }
    expect((await timed('GET', '/api/targets/1/results?limit=5')).status).toBe(200);
  });

  it('gives up on row locks inside transactions after the lock wait, without taking the pool', async () => {
    await c.req('POST', '/api/users', { username: 'second', password: 'another password' });
    await other.query('BEGIN');
    await other.query('SELECT * FROM users FOR UPDATE');
    try {
      // half the pool: the others stay free for the session checks these requests make first
      const deletes = await Promise.all(Array.from({ length: 5 }, () => timed('DELETE', '/api/users/2')));
      for (const r of deletes) {
        expect(r.status).toBe(503);
        // each locking statement gives up after the 4 s lock wait (a request may run two): never InnoDB's default 50 s
        expect(r.ms).toBeLessThan(12_000);
      }
      expect((await timed('GET', '/api/targets')).status).toBe(200);
    } finally {
      await other.query('ROLLBACK');
    }
    expect((await timed('DELETE', '/api/users/2')).status).toBe(204);
  });

  it('answers 503 (not 500) when the server is gone, and health names it', async () => {
    await other.end();
    await server.stop();
    const [r, ...burst] = await Promise.all([
      timed('GET', '/api/targets'),
      ...Array.from({ length: 5 }, async () => {
        await new Promise((res) => setTimeout(res, 1_500)); // while the first one still waits and retries
        return timed('GET', '/api/targets');
      }),
    ]);
    expect(r.status).toBe(503);
    expect(r.error).toBe('database_unavailable');
    // a server that refuses outright does not make every request wait the full 5 s
    for (const b of burst) {
      expect(b.status).toBe(503);
      expect(b.ms).toBeLessThan(1_000);
    }
    const health = await c.req('GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.json.dbReason).toMatch(/ECONNREFUSED/);
  });
});
