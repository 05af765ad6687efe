/**
 * The real process on every store: start with ROOT_USER, log in over HTTP, probe an open and a
 * closed loopback port, then SIGTERM: exit 0 within 10 s with every buffered result stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import { closedPort, listener } from './helpers/net.js';
import { startServer } from './helpers/server.js';
import { STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

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
      Object.assign(env, { MYSQL_HOST: config.mysql.host, MYSQL_PORT: String(config.mysql.port), MYSQL_DB: config.mysql.database, MYSQL_USER: config.mysql.user, MYSQL_PASSWORD: config.mysql.password });
    }
    const server = await startServer(env);
    try {
      expect(JSON.stringify(server.logs)).not.toContain('root secret 1');
      const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: 'root secret 1' }) });
      expect(login.status).toBe(204);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { cookie, 'content-type': 'application/json' } });
      const add = async (name: string, port: number) =>
        (await (await api('/api/targets', { method: 'POST', body: JSON.stringify({ name, host: '127.0.0.1', port, intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' }) })).json()) as { id: number };
      const up = await add('open', open.port);
      const down = await add('closed', closed);
      const list = await waitFor(async () => {
        const body = (await (await api('/api/targets')).json()) as { targets: { id: number; lastResult: { outcome: string } | null }[] };
        const outcome = (id: number) => body.targets.find((t) => t.id === id)?.lastResult?.outcome;
        return outcome(up.id) === 'success' && outcome(down.id) === 'refused' && body;
      }, 8000, 'success and refused on the dashboard');
      expect(list.targets).toHaveLength(2);
      // results reach the history once the writer has flushed them (within about a second)
      await waitFor(async () => {
        const h = (await (await api(`/api/targets/${down.id}/history?from=${Date.now() - 60_000}&step=10`)).json()) as { buckets: { outcomes: Record<string, number> }[] };
        return h.buckets.some((b) => (b.outcomes.refused ?? 0) > 0);
      }, 5000, 'refused in the history');

      await new Promise((r) => setTimeout(r, 1500));
      const t0 = Date.now();
      const code = await server.stop('SIGTERM');
      expect(code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
      const probed = server.logs.filter((l) => l.msg === 'stopped');
      expect(probed).toHaveLength(1);
      // every probe made before the signal is stored: the newest row is within one interval of it
      const newest = await db.get<{ t: number }>(SQL`SELECT MAX(started_at) AS t FROM results WHERE target_id = ${up.id}`);
      expect(t0 - Number(newest!.t)).toBeLessThan(1100);
      const rows = await db.all<{ started_at: number }>(SQL`SELECT started_at FROM results WHERE target_id = ${up.id} ORDER BY started_at`);
      for (let i = 1; i < rows.length; i++) expect(Number(rows[i]!.started_at) - Number(rows[i - 1]!.started_at)).toBeLessThan(1100);
    } finally {
      await server.stop('SIGKILL');
      await cleanup();
    }
  });
});
