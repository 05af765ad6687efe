/**
 * `GET /metrics` (issue 9 §1) on a real NetWatch on every store, probing real loopback peers of known
 * outcome (an accepting listener, a closed port, a black hole); scraped over HTTP with the bearer
 * token and parsed with a Prometheus text-format parser. After probing stops and the writer has
 * drained, every count is checked against the rows in the store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parse, { type Family } from 'parse-prometheus-text-format';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { OUTCOMES, type Outcome } from '../src/domain/types.js';
import { SERIES_PER_TARGET } from '../src/metrics/target-series.js';
import { startNetWatch, type Running } from '../src/server.js';
import { createTarget } from '../src/store/targets.js';
import { testApp } from './helpers/app.js';
import { blackhole, closedPort, listener } from './helpers/net.js';
import { freePort } from './helpers/server.js';
import { freshMysqlDatabase, STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const TOKEN = 'test-metrics-token-0123456789';
const silent = { core: pino({ level: 'silent' }), http: pino({ level: 'silent' }) };

/** Starts NetWatch on `store` with `env`; @returns it, its base URL and a cleanup. */
async function start(store: (typeof STORES)[number]['name'], env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'nw-metrics-'));
  const fresh = store === 'sqlite' ? null : await freshMysqlDatabase();
  const mysqlEnv: Record<string, string> = fresh
    ? { MYSQL_HOST: fresh.cfg.host, MYSQL_PORT: String(fresh.cfg.port), MYSQL_DB: fresh.cfg.database, MYSQL_USER: fresh.cfg.user, MYSQL_PASSWORD: fresh.cfg.password }
    : {};
  const port = await freePort();
  const config = loadConfig({ NETWATCH_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), ROOT_USER: 'admin', ROOT_PASSWORD: 'metrics check', ...mysqlEnv, ...env });
  const running = await startNetWatch(config, silent, { writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 } });
  return {
    running,
    url: `http://127.0.0.1:${port}`,
    async cleanup() {
      await running.stop(5000).catch(() => undefined);
      await fresh?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Scrapes and parses; @returns the families by name. */
async function scrape(url: string): Promise<Map<string, Family>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Map(parse(await res.text()).map((f) => [f.name, f]));
}

/** The value of the sample of `family` whose labels include `labels`, or undefined. */
function value(fams: Map<string, Family>, family: string, labels: Record<string, string> = {}): number | undefined {
  const s = fams.get(family)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return s?.value === undefined ? undefined : Number(s.value);
}

const STORE_NAMES = STORES.map((s) => s.name).filter((n) => n !== 'mysql-strict');

describe.each(STORE_NAMES)('/metrics on %s', (store) => {
  let nw: Awaited<ReturnType<typeof start>>;
  let running: Running;
  let open: Awaited<ReturnType<typeof listener>>;
  let hole: Awaited<ReturnType<typeof blackhole>>;
  const ids: Record<'up' | 'refused' | 'timeout', number> = { up: 0, refused: 0, timeout: 0 };
  beforeAll(async () => {
    nw = await start(store, { NETWATCH_METRICS_TOKEN: TOKEN });
    running = nw.running;
    open = await listener();
    hole = await blackhole();
    const now = Date.now();
    const base = { intervalSeconds: 1, retentionValue: 1, retentionUnit: 'day' as const, enabled: true };
    ids.up = (await createTarget(running.db, { ...base, name: 'up "quoted" \\ name', host: '127.0.0.1', port: open.port, timeoutMs: null }, now)).id;
    ids.refused = (await createTarget(running.db, { ...base, name: 'refused', host: '127.0.0.1', port: await closedPort(), timeoutMs: null }, now)).id;
    ids.timeout = (await createTarget(running.db, { ...base, name: 'black hole', host: '127.0.0.1', port: hole.port, timeoutMs: 300 }, now)).id;
    await running.actors.reconcile();
  });
  afterAll(async () => {
    await nw?.cleanup();
    await open?.close();
    await hole?.close();
  });

  it('answers 401 with a Bearer challenge without the right token', async () => {
    const tries: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }];
    for (const headers of tries) {
      const res = await fetch(`${nw.url}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="netwatch"/);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('exports live per-target state while probing', async () => {
    const fams = await waitFor(
      async () => {
        const f = await scrape(nw.url);
        const enough =
          value(f, 'netwatch_target_probes_total', { target_id: String(ids.up), outcome: 'success' })! >= 2 &&
          value(f, 'netwatch_target_probes_total', { target_id: String(ids.refused), outcome: 'refused' })! >= 2 &&
          value(f, 'netwatch_target_probes_total', { target_id: String(ids.timeout), outcome: 'timeout' })! >= 2;
        return enough ? f : null;
      },
      15_000,
      'two probes of each target',
    );
    expect(value(fams, 'netwatch_target_up', { target_id: String(ids.up), name: 'up "quoted" \\ name', host: '127.0.0.1', port: String(open.port) })).toBe(1);
    expect(value(fams, 'netwatch_target_up', { target_id: String(ids.refused), name: 'refused' })).toBe(0);
    expect(value(fams, 'netwatch_target_up', { target_id: String(ids.timeout), name: 'black hole' })).toBe(0);
    expect(value(fams, 'netwatch_targets_enabled')).toBe(3);
    expect(value(fams, 'netwatch_targets_running')).toBe(3);
  });

  it('after probing stops, every count equals the rows stored', async () => {
    await running.actors.shutdown(3000); // stop probing and drain the writer; HTTP keeps serving
    const fams = await scrape(nw.url);
    const rows = await running.db.all<{ target_id: number; outcome: Outcome; n: number }>(SQL`SELECT target_id, outcome, COUNT(*) AS n FROM results GROUP BY target_id, outcome`);
    const stored = (id: number, o: Outcome) => Number(rows.find((r) => Number(r.target_id) === id && r.outcome === o)?.n ?? 0);
    const total = rows.reduce((a, r) => a + Number(r.n), 0);
    for (const o of OUTCOMES) {
      let sum = 0;
      for (const id of Object.values(ids)) {
        const v = value(fams, 'netwatch_target_probes_total', { target_id: String(id), outcome: o });
        expect(v, `target ${id} ${o}`).toBe(stored(id, o));
        sum += v!;
      }
      expect(value(fams, 'netwatch_probes_total', { outcome: o }), o).toBe(sum);
    }
    // each target saw only its own outcome
    expect(stored(ids.up, 'success')).toBeGreaterThanOrEqual(2);
    expect(stored(ids.refused, 'refused')).toBeGreaterThanOrEqual(2);
    expect(stored(ids.timeout, 'timeout')).toBeGreaterThanOrEqual(2);
    expect(total).toBe(stored(ids.up, 'success') + stored(ids.refused, 'refused') + stored(ids.timeout, 'timeout'));

    const connect = value(fams, 'netwatch_target_connect_seconds', { target_id: String(ids.up) })!;
    expect(connect).toBeGreaterThan(0);
    expect(connect).toBeLessThan(0.3);
    expect(value(fams, 'netwatch_target_connect_seconds', { target_id: String(ids.refused) })).toBeUndefined();
    expect(value(fams, 'netwatch_target_consecutive_failures', { target_id: String(ids.up) })).toBe(0);
    expect(value(fams, 'netwatch_target_consecutive_failures', { target_id: String(ids.refused) })).toBe(stored(ids.refused, 'refused'));
    expect(value(fams, 'netwatch_target_consecutive_failures', { target_id: String(ids.timeout) })).toBe(stored(ids.timeout, 'timeout'));

    // the README's series count per target
    const seriesOf = (id: number) => [...fams.values()].flatMap((f) => f.metrics).filter((m) => m.labels?.target_id === String(id)).length;
    expect(seriesOf(ids.up)).toBe(SERIES_PER_TARGET);
    expect(seriesOf(ids.refused)).toBe(SERIES_PER_TARGET - 1);
    expect(value(fams, 'netwatch_writer_results_written_total')).toBe(total);
    expect(value(fams, 'netwatch_writer_results_buffered')).toBe(0);
    expect(value(fams, 'netwatch_writer_results_dropped_total')).toBe(0);
    expect(value(fams, 'netwatch_writer_waiting_seconds')).toBe(0);
    expect(value(fams, 'netwatch_database_errors_total', { source: 'writer' })).toBe(0);
    const flush = fams.get('netwatch_writer_flush_duration_seconds')!;
    expect(flush.type).toBe('HISTOGRAM');
    expect(Number(flush.metrics[0]!.count)).toBeGreaterThanOrEqual(1);
    expect(Number(flush.metrics[0]!.sum)).toBeGreaterThan(0);
    const lag = fams.get('netwatch_schedule_lag_seconds')!;
    expect(lag.type).toBe('HISTOGRAM');
    expect(Number(lag.metrics[0]!.count)).toBe(total); // one lag per probe sent
    expect(Number(lag.metrics[0]!.buckets!['+Inf'])).toBe(total);
    // process and Node.js defaults
    expect(value(fams, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value(fams, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(fams.get('process_open_fds')).toBeDefined();
  });
});

describe('/metrics switches', () => {
  it('leaves out per-target series when NETWATCH_METRICS_PER_TARGET=false', async () => {
    const nw = await start('sqlite', { NETWATCH_METRICS_TOKEN: TOKEN, NETWATCH_METRICS_PER_TARGET: 'false' });
    const open = await listener();
    try {
      await createTarget(nw.running.db, { name: 'one', host: '127.0.0.1', port: open.port, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day', enabled: true }, Date.now());
      await nw.running.actors.reconcile();
      const fams = await waitFor(
        async () => {
          const f = await scrape(nw.url);
          return value(f, 'netwatch_probes_total', { outcome: 'success' })! >= 1 ? f : null;
        },
        10_000,
        'a probe',
      );
      expect([...fams.keys()].filter((n) => n.startsWith('netwatch_target_'))).toEqual([]);
      expect(value(fams, 'netwatch_targets_running')).toBe(1);
      expect(
        fams
          .get('netwatch_probes_total')!
          .metrics.map((m) => m.labels!.outcome)
          .sort(),
      ).toEqual([...OUTCOMES].sort());
    } finally {
      await nw.cleanup();
      await open.close();
    }
  });

  it('answers 404 at /metrics when no token is set, even with the UI built', async () => {
    const s = await STORES[0]!.open();
    const ui = mkdtempSync(join(tmpdir(), 'nw-ui-'));
    try {
      writeFileSync(join(ui, 'index.html'), '<!doctype html><title>NetWatch</title>');
      const app = buildApp((await testApp(s.db, { setupToken: null })).deps, ui);
      expect((await app.request('http://localhost/some/ui/page')).status).toBe(200);
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
        const res = await app.request('http://localhost/metrics', { headers });
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ error: 'not_found' });
      }
    } finally {
      await s.cleanup();
      rmSync(ui, { recursive: true, force: true });
    }
  });
});
