/**
 * Per-target series over a target's life and across a restart (issue 9), on a real NetWatch on
 * every store probing real loopback peers, scraped over HTTP and parsed with a Prometheus
 * text-format parser:
 * - an edited target (renamed, moved to another port) keeps one `netwatch_target_up` series, under
 *   its new labels; a disabled target and a deleted one have no series left;
 * - `netwatch_target_consecutive_failures` continues from the stored results after a restart;
 * - the scrape's text (rendered in slices, src/metrics/render.ts) is byte for byte prom-client's
 *   own `registry.metrics()` for NetWatch's families.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parse, { type Family } from 'parse-prometheus-text-format';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type MysqlConfig } from '../src/config.js';
import type { ProbeResult, Target } from '../src/domain/types.js';
import { SLICE } from '../src/metrics/render.js';
import { Metrics } from '../src/metrics/metrics.js';
import { LatestResults } from '../src/actors/latest-results.js';
import { newWriterStats } from '../src/actors/writer-stats.js';
import { startNetWatch, type Running } from '../src/server.js';
import { createTarget, deleteTarget, updateTarget } from '../src/store/targets.js';
import { closedPort, listener } from './helpers/net.js';
import { freePort } from './helpers/server.js';
import { freshMysqlDatabase, STORES } from './helpers/stores.js';
import { waitFor } from './helpers/wait.js';

const TOKEN = 'test-metrics-token-0123456789';
const silent = { core: pino({ level: 'silent' }), http: pino({ level: 'silent' }) };
const STORE_NAMES = STORES.map((s) => s.name).filter((n) => n !== 'mysql-strict');
const base = { intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day' as const, enabled: true };

/** Starts NetWatch on the data directory and MySQL database given (SQLite when `mysql` is null). */
async function boot(dataDir: string, mysql: MysqlConfig | null): Promise<{ running: Running; url: string }> {
  const port = await freePort();
  const mysqlEnv: Record<string, string> = mysql ? { MYSQL_HOST: mysql.host, MYSQL_PORT: String(mysql.port), MYSQL_DB: mysql.database, MYSQL_USER: mysql.user, MYSQL_PASSWORD: mysql.password } : {};
  const config = loadConfig({ NETWATCH_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), ROOT_USER: 'admin', ROOT_PASSWORD: 'metrics check', NETWATCH_METRICS_TOKEN: TOKEN, ...mysqlEnv });
  const running = await startNetWatch(config, silent, { writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 } });
  return { running, url: `http://127.0.0.1:${port}` };
}

/** Scrapes and parses; @returns the text and the families by name. */
async function scrape(url: string): Promise<{ text: string; fams: Map<string, Family> }> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, fams: new Map(parse(text).map((f) => [f.name, f])) };
}

/** Every sample (any family) of target `id`, as `family{labels}` strings. */
function seriesOf(fams: Map<string, Family>, id: number): string[] {
  return [...fams.values()].flatMap((f) => f.metrics.filter((m) => m.labels?.target_id === String(id)).map((m) => `${f.name}${JSON.stringify(m.labels)}`));
}

function value(fams: Map<string, Family>, family: string, labels: Record<string, string> = {}): number | undefined {
  const s = fams.get(family)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return s?.value === undefined ? undefined : Number(s.value);
}

describe.each(STORE_NAMES)('per-target series on %s', (store) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nw-metrics-series-'));
  let fresh: Awaited<ReturnType<typeof freshMysqlDatabase>> = null;
  let nw: Awaited<ReturnType<typeof boot>> | null = null;
  let open: Awaited<ReturnType<typeof listener>>;
  let other: Awaited<ReturnType<typeof listener>>;
  beforeAll(async () => {
    fresh = store === 'sqlite' ? null : await freshMysqlDatabase();
    nw = await boot(dataDir, fresh?.cfg ?? null);
    open = await listener();
    other = await listener();
  });
  afterAll(async () => {
    await nw?.running.stop(5000).catch(() => undefined);
    await fresh?.drop();
    await open?.close();
    await other?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an edited target has up under its new labels only; disabled and deleted targets have no series', async () => {
    const { running, url } = nw!;
    const now = Date.now();
    const make = async (name: string) => createTarget(running.db, { ...base, name, host: '127.0.0.1', port: open.port }, now);
    const [edited, disabled, deleted] = [await make('before edit'), await make('to disable'), await make('to delete')] as [Target, Target, Target];
    await running.actors.reconcile();
    const probed = (f: Map<string, Family>, t: Target) => (value(f, 'netwatch_target_probes_total', { target_id: String(t.id), outcome: 'success' }) ?? 0) >= 1;
    let { fams } = await waitFor(
      async () => {
        const s = await scrape(url);
        return [edited, disabled, deleted].every((t) => probed(s.fams, t)) ? s : null;
      },
      15_000,
      'a probe of each target',
    );
    for (const t of [edited, disabled, deleted]) expect(seriesOf(fams, t.id)).toHaveLength(11);
    expect(value(fams, 'netwatch_target_up', { target_id: String(edited.id), name: 'before edit', port: String(open.port) })).toBe(1);

    await updateTarget(running.db, edited.id, { ...base, name: 'after edit', host: '127.0.0.1', port: other.port }, Date.now());
    await updateTarget(running.db, disabled.id, { ...base, name: 'to disable', host: '127.0.0.1', port: open.port, enabled: false }, Date.now());
    await deleteTarget(running.db, deleted.id);
    await running.actors.reconcile();
    ({ fams } = await scrape(url));
    const ups = fams.get('netwatch_target_up')!.metrics.filter((m) => m.labels?.target_id === String(edited.id));
    expect(ups.map((m) => m.labels)).toEqual([{ target_id: String(edited.id), name: 'after edit', host: '127.0.0.1', port: String(other.port) }]);
    expect(seriesOf(fams, edited.id)).toHaveLength(11);
    expect(seriesOf(fams, disabled.id)).toEqual([]);
    expect(seriesOf(fams, deleted.id)).toEqual([]);
    expect(value(fams, 'netwatch_targets_running')).toBe(1);

    // enabled again: its series come back, counted from zero
    await updateTarget(running.db, disabled.id, { ...base, name: 'to disable', host: '127.0.0.1', port: open.port }, Date.now());
    await running.actors.reconcile();
    ({ fams } = await scrape(url));
    expect(value(fams, 'netwatch_target_consecutive_failures', { target_id: String(disabled.id) })).toBe(0);
    expect(seriesOf(fams, disabled.id).filter((s) => s.startsWith('netwatch_target_probes_total'))).toHaveLength(8);
  });

  it('consecutive failures continue from the stored results after a restart', async () => {
    const refused = await createTarget(nw!.running.db, { ...base, name: 'refused', host: '127.0.0.1', port: await closedPort() }, Date.now());
    await nw!.running.actors.reconcile();
    const id = String(refused.id);
    await waitFor(async () => (value((await scrape(nw!.url)).fams, 'netwatch_target_consecutive_failures', { target_id: id }) ?? 0) >= 3, 15_000, '3 failures');
    await nw!.running.actors.shutdown(3000); // stop probing, store what is buffered
    const storedBefore = await refusedRows(nw!.running, refused.id);
    expect(storedBefore).toBeGreaterThanOrEqual(3);
    await nw!.running.stop(5000);

    nw = await boot(dataDir, fresh?.cfg ?? null);
    // the first scrape after the first reconcile (before or after the first probes of this process)
    const first = await waitFor(async () => value((await scrape(nw!.url)).fams, 'netwatch_target_consecutive_failures', { target_id: id }), 10_000, 'the series');
    expect(first).toBeGreaterThanOrEqual(storedBefore);
    expect(value((await scrape(nw.url)).fams, 'netwatch_target_up', { target_id: id })).toBe(0);
    // stopped and drained: the count is every stored result of the target (all refused, in a row)
    await nw.running.actors.shutdown(3000);
    const { fams } = await scrape(nw.url);
    expect(value(fams, 'netwatch_target_consecutive_failures', { target_id: id })).toBe(await refusedRows(nw.running, refused.id));
  });
});

describe('the scrape text', () => {
  it("is prom-client's own registry.metrics() text, byte for byte, over several slices of a family", async () => {
    const metrics = new Metrics({ perTarget: true });
    const latest = new LatestResults();
    metrics.bind({ writer: { stats: newWriterStats(), waitingMs: () => 0 }, countEnabled: async () => 7, latest });
    const targets = Array.from({ length: Math.ceil((2 * SLICE) / 8) + 1 }, (_, i) => ({ id: i + 1, name: `t "${i}" \\ \n`, host: '127.0.0.1', port: 1000 + i }) as Target);
    metrics.onReconciled(targets);
    for (const [i, t] of targets.entries()) {
      const r = { targetId: t.id, startedAt: 1000, outcome: i % 3 ? 'success' : 'refused', connectMs: i % 3 ? 0.5 : null } as ProbeResult;
      latest.record(r);
      metrics.onResult(r);
      metrics.onLag(i % 70);
    }
    const own = await metrics.render();
    // the process_* and nodejs_* defaults move between two renders; NetWatch's own families do not
    const ours = (text: string) => text.split('\n\n').filter((f) => f.startsWith('# HELP netwatch_'));
    const theirs = await metrics.registry.metrics();
    expect(ours(own)).toEqual(ours(theirs));
    expect(ours(own).join('\n\n')).toBe(ours(theirs).join('\n\n'));
    expect(own.endsWith('\n')).toBe(true);
    expect(own.split('\n').filter((l) => l.startsWith('netwatch_target_probes_total{')).length).toBe(8 * targets.length);
    expect(own.split('\n').filter((l) => l.startsWith('netwatch_target_up{')).length).toBe(targets.length);
    // parsed: the family is one group, with no repeated header from the later slices
    const fams = parse(own);
    expect(fams.filter((f) => f.name === 'netwatch_target_probes_total')).toHaveLength(1);
    expect(own.match(/# TYPE netwatch_target_probes_total /g)).toHaveLength(1);
  });
});

async function refusedRows(running: Running, targetId: number): Promise<number> {
  const r = await running.db.get<{ n: number }>(SQL`SELECT COUNT(*) AS n FROM results WHERE target_id = ${targetId} AND outcome = 'refused'`);
  return Number(r?.n ?? 0);
}
