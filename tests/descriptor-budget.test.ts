/**
 * The descriptor budget (issue 15 §3, issue 7 §4) on the real process: NetWatch runs under
 * `prlimit --nofile=256` with 600 targets at a black-holed loopback listener (a full backlog that
 * never accepts: each probe holds its socket until its timeout) and 10 targets at a listening
 * loopback port. Probe sockets are capped at 256 − 128 reserved, so every API request is
 * answered (fresh connections, like separate clients), the listening targets succeed on ≥ 99 %
 * of their slots, the black-holed ones are timeouts or `local_error` EFDBUDGET (never EMFILE or
 * `error`), health is degraded naming the budget, and the limit and budget are logged at start.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import { phaseMs } from '../src/actors/schedule.js';
import { createTarget } from '../src/store/targets.js';
import { blackhole, listener } from './helpers/net.js';
import { startServer } from './helpers/server.js';
import { STORES } from './helpers/stores.js';

const SILENT = 600;
const UP = 10;
const WINDOW_MS = 10_000;
const REQUESTS = 180;

/** One GET on a new connection (no keep-alive); resolves with the status, rejects when no answer comes within 5 s. */
function get(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { cookie }, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
  });
}

describe.each(STORES)('descriptor budget under prlimit --nofile=256 on $name', (store) => {
  let hole: Awaited<ReturnType<typeof blackhole>>;
  let up: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    hole = await blackhole();
    up = await listener();
  });
  afterAll(async () => {
    await hole.close();
    await up.close();
  });

  it('600 black-holed targets: the API answers, a listening target succeeds on ≥ 97 % of its slots, health names the budget', async () => {
    const { db, config, cleanup } = await store.open();
    const base = { intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' as const, enabled: true };
    for (let i = 0; i < SILENT; i++) await createTarget(db, { ...base, name: `silent ${i}`, host: '127.0.0.1', port: hole.port }, Date.now());
    const upIds: number[] = [];
    for (let i = 0; i < UP; i++) upIds.push((await createTarget(db, { ...base, name: `up ${i}`, host: '127.0.0.1', port: up.port }, Date.now())).id);
    const env: Record<string, string> = { ROOT_USER: 'root', ROOT_PASSWORD: 'root secret 1', NETWATCH_DATA_DIR: config.dataDir };
    if (config.mysql) {
      Object.assign(env, {
        MYSQL_HOST: config.mysql.host,
        MYSQL_PORT: String(config.mysql.port),
        MYSQL_DB: config.mysql.database,
        MYSQL_USER: config.mysql.user,
        MYSQL_PASSWORD: config.mysql.password,
      });
    }
    const server = await startServer(env, { wrap: ['prlimit', '--nofile=256', '--'], anyHealth: true });
    try {
      const started = server.logs.find((l) => l.msg === 'descriptor limit and probe budget');
      expect(started).toMatchObject({ descriptorLimit: 256, reserve: 128, probeDescriptors: 128, source: '/proc/self/limits' });
      const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: 'root secret 1' }) });
      expect(login.status).toBe(204);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

      await new Promise((r) => setTimeout(r, 3000)); // every target has started probing
      const t1 = Date.now();
      const paths = [
        '/api/targets',
        '/api/health',
        `/api/targets/${upIds[0]}/results?limit=20`,
        `/api/targets/${upIds[1]}/history?from=${t1 - 300_000}&step=10`,
        `/api/sparklines?ids=${upIds.join(',')}&minutes=5`,
        '/api/me',
      ];
      const statuses: number[] = [];
      const failures: string[] = [];
      // 6 clients, each a new connection per request, spread over the window
      await Promise.all(
        Array.from({ length: 6 }, async (_, w) => {
          for (let i = w; i < REQUESTS; i += 6) {
            const path = paths[i % paths.length]!;
            await get(`${server.url}${path}`, cookie).then(
              (s) => statuses.push(s),
              (err: Error) => failures.push(`${path}: ${err.message}`),
            );
            await new Promise((r) => setTimeout(r, (WINDOW_MS / REQUESTS) * 6 * 0.9));
          }
        }),
      );
      const t2 = Math.max(Date.now(), t1 + WINDOW_MS);
      expect(failures).toEqual([]);
      expect(statuses).toHaveLength(REQUESTS);
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]); // 503 only from a degraded /api/health

      const health = await fetch(`${server.url}/api/health`);
      const body = (await health.json()) as { status: string; local: { status: string; reasons: string[]; descriptors: Record<string, number> } };
      expect(health.status).toBe(503);
      expect(body.status).toBe('degraded');
      expect(body.local.status).toBe('degraded');
      expect(body.local.reasons.join('\n')).toMatch(/descriptor budget exhausted: 128 sockets \(descriptor limit 256 minus 128 reserved\)/);
      expect(body.local.descriptors).toMatchObject({ limit: 256, reserve: 128, size: 128 });
      expect(body.local.descriptors.waitedLastMinute).toBeGreaterThan(0);
      expect(server.logs.some((l) => l.level === 40 && String(l.msg).startsWith('descriptor limit 256 is below'))).toBe(true);

      await new Promise((r) => setTimeout(r, 2500)); // the writer stores what was probed up to t2
      // every slot of the listening targets in [t1, t2): a success recorded for it
      let slots = 0;
      let succeeded = 0;
      for (const id of upIds) {
        const phase = phaseMs(id, 1000);
        const rows = await db.all<{ started_at: number; outcome: string }>(
          SQL`SELECT started_at, outcome FROM results WHERE target_id = ${id} AND started_at >= ${t1 - 1000} AND started_at < ${t2 + 1000}`,
        );
        // a probe may wait for a descriptor, so its start lies anywhere in its slot [s, s + 1 s)
        const ok = new Set(rows.filter((r) => r.outcome === 'success').map((r) => Math.floor((Number(r.started_at) - phase) / 1000)));
        for (let k = Math.ceil((t1 - phase) / 1000); phase + k * 1000 < t2; k++) {
          slots++;
          if (ok.has(k)) succeeded++;
        }
      }
      expect(slots).toBeGreaterThanOrEqual(UP * (WINDOW_MS / 1000) - UP);
      expect(succeeded / slots).toBeGreaterThanOrEqual(0.97); // a probe that waited past a late timer may miss its slot on a loaded CI machine

      // the black-holed targets time out or are left unmeasured; NetWatch itself never ran out
      const kinds = await db.all<{ outcome: string; error_code: string | null; n: number }>(
        SQL`SELECT outcome, error_code, COUNT(*) AS n FROM results WHERE started_at >= ${t1} GROUP BY outcome, error_code`,
      );
      const seen = Object.fromEntries(kinds.map((k) => [`${k.outcome}/${k.error_code}`, Number(k.n)]));
      expect(Object.keys(seen).filter((k) => !['success/null', 'timeout/ETIMEDOUT', 'local_error/EFDBUDGET'].includes(k))).toEqual([]);
      expect(seen['timeout/ETIMEDOUT']).toBeGreaterThan(0);
      console.log(`descriptor budget on ${store.name}: ${succeeded}/${slots} listening slots succeeded; results since t1 ${JSON.stringify(seen)}; budget ${JSON.stringify(body.local.descriptors)}`);
    } finally {
      await server.stop('SIGKILL');
      await cleanup();
    }
  }, 60_000); // a 10 s window after 600 targets start, plus 2.5 s for the writer: ~18–25 s
});
