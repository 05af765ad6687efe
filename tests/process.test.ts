/**
 * The real process on every store: start with ROOT_USER, log in over HTTP, probe an open and a
 * closed loopback port, then SIGTERM: exit 0 within 10 s with every buffered result stored.
 * After kill -9, a restart at once is healthy within 3 s with the database intact, and every
 * target probes again within one interval; a second live process on one SQLite folder is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import { closedPort, listener } from './helpers/net.js';
import { startServer, type ServerProcess } from './helpers/server.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';
import { TIMER_SLACK_MS } from './helpers/timing.js';

type StoreConfig = Awaited<ReturnType<(typeof STORES)[number]['open']>>['config'];

/** The environment that starts NetWatch on a test store. */
function envFor(config: StoreConfig): Record<string, string> {
  const env: Record<string, string> = { ROOT_USER: 'root', ROOT_PASSWORD: 'root secret 1', NETWATCH_DATA_DIR: config.dataDir };
  if (config.mysql) {
    Object.assign(env, { MYSQL_HOST: config.mysql.host, MYSQL_PORT: String(config.mysql.port), MYSQL_DB: config.mysql.database, MYSQL_USER: config.mysql.user, MYSQL_PASSWORD: config.mysql.password });
  }
  return env;
}

/** Logs in as root; @returns a fetch for the API with the session cookie. */
async function apiOf(server: ServerProcess) {
  const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: 'root secret 1' }) });
  expect(login.status).toBe(204);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { cookie, 'content-type': 'application/json' } });
}

describe.each(STORES)('netwatch process on $name', (store) => {
  let open: Awaited<ReturnType<typeof listener>>;
  let closed: number;
  beforeAll(async () => {
    open = await listener();
    closed = await closedPort();
  });
  afterAll(async () => open.close());

  it('probes, serves results and history, and flushes everything on SIGTERM', async () => {
    const { db, config, cleanup } = await store.open();
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
    const server = await startServer(env);
    try {
      expect(JSON.stringify(server.logs)).not.toContain('root secret 1');
      const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: 'root secret 1' }) });
      expect(login.status).toBe(204);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { cookie, 'content-type': 'application/json' } });
      const add = async (name: string, port: number) =>
        (await (await api('/api/targets', { method: 'POST', body: JSON.stringify({ name, host: '127.0.0.1', port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' }) })).json()) as {
          id: number;
        };
      const up = await add('open', open.port);
      const down = await add('closed', closed);
      const list = await waitFor(
        async () => {
          const body = (await (await api('/api/targets')).json()) as { targets: { id: number; lastResult: { outcome: string } | null }[] };
          const outcome = (id: number) => body.targets.find((t) => t.id === id)?.lastResult?.outcome;
          return outcome(up.id) === 'success' && outcome(down.id) === 'refused' && body;
        },
        8000,
        'success and refused on the dashboard',
      );
      expect(list.targets).toHaveLength(2);
      // results reach the history once the writer has flushed them (within about a second)
      await waitFor(
        async () => {
          const h = (await (await api(`/api/targets/${down.id}/history?from=${Date.now() - 60_000}&step=10`)).json()) as { buckets: { outcomes: Record<string, number> }[] };
          return h.buckets.some((b) => (b.outcomes.refused ?? 0) > 0);
        },
        5000,
        'refused in the history',
      );

      await new Promise((r) => setTimeout(r, 1500));
      const t0 = Date.now();
      const code = await server.stop('SIGTERM');
      expect(code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
      const probed = server.logs.filter((l) => l.msg === 'stopped');
      expect(probed).toHaveLength(1);
      // every probe made before the signal is stored: the newest row is within one interval of it
      const newest = await db.get<{ t: number }>(SQL`SELECT MAX(started_at) AS t FROM results WHERE target_id = ${up.id}`);
      expect(t0 - Number(newest!.t)).toBeLessThan(1000 + TIMER_SLACK_MS);
      const rows = await db.all<{ started_at: number }>(SQL`SELECT started_at FROM results WHERE target_id = ${up.id} ORDER BY started_at`);
      for (let i = 1; i < rows.length; i++) expect(Number(rows[i]!.started_at) - Number(rows[i - 1]!.started_at)).toBeLessThan(1000 + TIMER_SLACK_MS);
    } finally {
      await server.stop('SIGKILL');
      await cleanup();
    }
  });

  it('after kill -9, starting again at once is healthy within 3 s, intact, and probes every target within one interval', async () => {
    const { db, config, cleanup } = await store.open();
    const env = envFor(config);
    const first = await startServer(env);
    let second: ServerProcess | undefined;
    try {
      const api = await apiOf(first);
      const ids: number[] = [];
      for (const [name, port] of [
        ['open a', open.port],
        ['closed', closed],
        ['open b', open.port],
      ] as const) {
        const r = await api('/api/targets', { method: 'POST', body: JSON.stringify({ name, host: '127.0.0.1', port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' }) });
        ids.push(((await r.json()) as { id: number }).id);
      }
      const stored = async (id: number, after = 0) =>
        (await db.all<{ started_at: number }>(SQL`SELECT started_at FROM results WHERE target_id = ${id} AND started_at > ${after} ORDER BY started_at`)).map((r) => Number(r.started_at));
      await waitFor(async () => (await Promise.all(ids.map((id) => stored(id)))).every((rows) => rows.length >= 2), 8000, 'every target stored');
      if (!config.mysql) {
        // a second live process on the same folder is refused and names the holder
        await expect(startServer(env)).rejects.toThrow(`PID ${first.child.pid}`);
      }

      expect(await first.stop('SIGKILL')).toBeNull();
      const killedAt = Date.now();
      const t0 = performance.now();
      second = await startServer(env);
      const healthyAfterMs = performance.now() - t0;
      const healthyAt = Date.now();
      expect(healthyAfterMs).toBeLessThan(3000);

      if (config.mysql) {
        const checks = await db.all<{ Table: string; Msg_type: string; Msg_text: string }>(SQL`CHECK TABLE results, results_1m, results_1h, targets`);
        expect(checks.filter((c) => c.Msg_type === 'status').map((c) => c.Msg_text)).toEqual(['OK', 'OK', 'OK', 'OK']);
      } else {
        expect(await db.all(SQL`PRAGMA integrity_check`)).toEqual([{ integrity_check: 'ok' }]);
      }
      // every target probes again, its first new probe within one interval (1 s) of being healthy, plus timer lateness
      const firsts = await waitFor(
        async () => {
          const rows = await Promise.all(ids.map((id) => stored(id, killedAt)));
          return rows.every((r) => r.length > 0) && rows.map((r) => r[0]!);
        },
        5000,
        'every target probing again',
      );
      for (const t of firsts) expect(t - healthyAt).toBeLessThan(1000 + TIMER_SLACK_MS);

      expect(await second.stop('SIGTERM')).toBe(0);
      // nothing half-written: each target's rollups count exactly its raw rows
      for (const id of ids) {
        const raw = await db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM results WHERE target_id = ${id}`);
        const rolled = await db.get<{ n: number }>(SQL`SELECT SUM(attempts) AS n FROM results_1h WHERE target_id = ${id}`);
        expect(Number(rolled!.n)).toBe(Number(raw!.n));
      }
    } finally {
      await first.stop('SIGKILL');
      await second?.stop('SIGKILL');
      await cleanup();
    }
  });
});
