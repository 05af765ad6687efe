/**
 * Scale figure of issue 10 ("Probe nodes"): NetWatch processes (the built server, `dist/`) in one
 * location on one MariaDB database, N targets at 1 s on loopback. First one node alone probes every
 * target for a window, then a second node joins and the two share them for a window of the same
 * length: the same targets, database and machine, in the same run. Per node and window, from the
 * stored results: probes/s, on-time share (lag < 50 ms, as LagStats counts it), lag p50/p99/max
 * (started_at − scheduled_at), slots not stored (`lost`: skipped or never written) and stored twice,
 * and CPU % (user + system of that process, /proc/<pid>/stat); MariaDB's CPU and the machine's load
 * averages too, since the machine is shared.
 *
 *   npm run build && NETWATCH_TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/x npm run bench -- --only nodes
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { migrate } from '../src/store/migrate.js';
import { openMysql } from '../src/store/mysql.js';
import { createTarget } from '../src/store/targets.js';
import { freshMysqlDatabase } from '../tests/helpers/stores.js';
import { startServer, type ServerProcess } from '../tests/helpers/server.js';

/** One node's figures over one window. */
export interface NodeWindowRow {
  node: string;
  targets: number;
  probesPerSec: number;
  onTime: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  cpuPct: number;
}

/** One window: every node's figures, and what the location as a whole lost or doubled. */
export interface NodesWindow {
  nodes: number;
  seconds: number;
  expectedSlots: number;
  lost: number;
  doubled: number;
  perNode: NodeWindowRow[];
  mariadbCpuPct: number | null;
  load: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICK = 100; // USER_HZ on Linux

/** user + system CPU seconds of a process so far, or null when it cannot be read. */
function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return null;
  }
}

/** The server's pid, from its pid file (undefined when the server is elsewhere or the file unreadable). */
async function serverPid(conn: mysql.Connection): Promise<number | undefined> {
  try {
    const [rows] = await conn.query("SHOW VARIABLES LIKE 'pid_file'");
    return Number(readFileSync(String((rows as { Value: string }[])[0]!.Value), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the two windows (1 node, then 2) of `seconds` each over `n` targets at 1 s spread over `peers`.
 * @throws when dist/ is not built or NETWATCH_TEST_MYSQL_URL is not set
 */
export async function nodesBench(n: number, seconds: number, peers: { host: string; port: number }[], log: (s: string) => void): Promise<{ targets: number; windows: NodesWindow[] }> {
  const fresh = await freshMysqlDatabase();
  if (!fresh) throw new Error('NETWATCH_TEST_MYSQL_URL is not set');
  const db = await openMysql(fresh.cfg);
  const conn = await mysql.createConnection({ ...fresh.cfg });
  const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-bench-nodes-'));
  const procs: ServerProcess[] = [];
  try {
    await migrate(db);
    const now = Date.now();
    for (let i = 0; i < n; i += 16) {
      await Promise.all(
        Array.from({ length: Math.min(16, n - i) }, (_, j) => {
          const p = peers[(i + j) % peers.length]!;
          return createTarget(db, { name: `bench-${i + j}`, host: p.host, port: p.port, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day', enabled: true }, now);
        }),
      );
    }
    log(`nodes: ${n} targets created`);
    const env = (name: string) => ({
      MYSQL_HOST: fresh.cfg.host,
      MYSQL_PORT: String(fresh.cfg.port),
      MYSQL_DB: fresh.cfg.database,
      MYSQL_USER: fresh.cfg.user,
      MYSQL_PASSWORD: fresh.cfg.password,
      NETWATCH_NODE_NAME: name,
      NETWATCH_LOCATION: 'default',
      NETWATCH_DATA_DIR: join(dataDir, name),
      CORE_LOG_LEVEL: 'warn',
      HTTP_LOG_LEVEL: 'warn',
    });
    const dbPid = await serverPid(conn);
    const windows: NodesWindow[] = [];
    for (const count of [1, 2]) {
      procs.push(await startServer(env(`n${count}`)));
      await sleep(count === 1 ? 6000 : 8000); // targets started; a joining node counts after 2 s
      const from = Math.ceil(Date.now() / 1000) * 1000;
      await sleep(from - Date.now());
      const cpu0 = procs.map((p) => cpuSeconds(p.child.pid));
      const db0 = cpuSeconds(dbPid);
      await sleep(seconds * 1000);
      const to = from + seconds * 1000;
      const cpu1 = procs.map((p) => cpuSeconds(p.child.pid));
      const db1 = cpuSeconds(dbPid);
      const load = loadavg().map((x) => Math.round(x * 100) / 100);
      // what each node says of itself in its last heartbeat (explains a node that stored little)
      const [beats] = await conn.query(
        'SELECT name, targets_assigned, lag_p99_ms, writer_buffered, writer_dropped, (UNIX_TIMESTAMP(NOW(3)) * 1000 - heartbeat_at) AS beat_age_ms FROM nodes ORDER BY name',
      );
      log(`nodes ${count}: heartbeats ${JSON.stringify(beats)}`);
      await sleep(3000); // the writers store what was probed in the window
      windows.push(await tally(conn, count, n, from, to, seconds, cpu0, cpu1, db0, db1, load));
      const w = windows[windows.length - 1]!;
      log(
        `nodes ${count}: lost ${w.lost}, doubled ${w.doubled} of ${w.expectedSlots}; ${w.perNode.map((r) => `${r.node} ${r.targets} targets ${r.probesPerSec}/s on time ${(r.onTime * 100).toFixed(1)} % p99 ${r.lagP99} ms cpu ${r.cpuPct} %`).join('; ')}; mariadb cpu ${w.mariadbCpuPct} %; load ${load.join(' ')}`,
      );
    }
    return { targets: n, windows };
  } finally {
    for (const p of procs) await p.stop('SIGTERM').catch(() => undefined);
    await conn.end();
    await db.close();
    await fresh.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function tally(
  conn: mysql.Connection,
  count: number,
  n: number,
  from: number,
  to: number,
  seconds: number,
  cpu0: (number | null)[],
  cpu1: (number | null)[],
  db0: number | null,
  db1: number | null,
  load: number[],
): Promise<NodesWindow> {
  const [slots] = await conn.query('SELECT COUNT(*) AS rows_, COUNT(DISTINCT target_id, scheduled_at) AS slots FROM results WHERE scheduled_at >= ? AND scheduled_at < ?', [from, to]);
  const s = (slots as { rows_: number; slots: number }[])[0]!;
  const perNode: NodeWindowRow[] = [];
  for (let i = 0; i < count; i++) {
    const node = `n${i + 1}`;
    const [rows] = await conn.query('SELECT started_at - scheduled_at AS lag, target_id FROM results WHERE scheduled_at >= ? AND scheduled_at < ? AND node = ?', [from, to, node]);
    const lags = (rows as { lag: number }[]).map((r) => Number(r.lag)).sort((a, b) => a - b);
    const targets = new Set((rows as { target_id: number }[]).map((r) => r.target_id)).size;
    const q = (p: number) => (lags.length ? lags[Math.min(lags.length - 1, Math.ceil(p * lags.length) - 1)]! : 0);
    const c0 = cpu0[i];
    const c1 = cpu1[i];
    perNode.push({
      node,
      targets,
      probesPerSec: Math.round(lags.length / seconds),
      onTime: lags.length ? lags.filter((l) => l < 50).length / lags.length : 0,
      lagP50: q(0.5),
      lagP99: q(0.99),
      lagMax: lags[lags.length - 1] ?? 0,
      cpuPct: c0 != null && c1 != null ? Math.round(((c1 - c0) / seconds) * 100) : -1,
    });
  }
  const expectedSlots = n * seconds;
  return {
    nodes: count,
    seconds,
    expectedSlots,
    lost: expectedSlots - Number(s.slots),
    doubled: Number(s.rows_) - Number(s.slots),
    perNode,
    mariadbCpuPct: db0 != null && db1 != null ? Math.round(((db1 - db0) / seconds) * 100) : null,
    load,
  };
}
