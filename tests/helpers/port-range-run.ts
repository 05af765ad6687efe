/**
 * Run by tests/local-ports.test.ts inside a network namespace whose local port range it has
 * shrunk: the real actors probe loopback listeners on a fresh SQLite store, then the real app
 * (in-process, no socket: the namespace has no ports to spare) answers targets, results and
 * health. Prints one JSON line: `{ targets, results, health }`. Traffic stays on the namespace's loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startActors } from '../../src/actors/system.js';
import type { ProbeResult } from '../../src/domain/types.js';
import { migrate } from '../../src/store/migrate.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { createTarget } from '../../src/store/targets.js';
import { testApp } from './app.js';
import { listener } from './net.js';

const TARGETS = Number(process.argv[2] ?? 10);
const RUN_MS = Number(process.argv[3] ?? 3500);

const dir = mkdtempSync(join(tmpdir(), 'netwatch-ports-'));
const db = openSqlite(join(dir, 'netwatch.db'));
await migrate(db);
const peer = await listener();
for (let i = 0; i < TARGETS; i++) {
  await createTarget(db, { name: `up ${i}`, host: '127.0.0.1', port: peer.port, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'day', enabled: true }, Date.now());
}
const actors = startActors(db, pino({ level: 'silent' }), {
  writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 },
  reconcileEveryMs: 60_000,
  purgeEveryMs: 3_600_000,
});
await actors.reconcile();
await new Promise((r) => setTimeout(r, RUN_MS));
await new Promise((r) => setTimeout(r, 300)); // one more flush
const { client } = await testApp(db, { actors });
const c = client();
await c.login('admin', 'correct horse');
const targets = (await c.req('GET', '/api/targets')).json.targets as { id: number; ratio24h: number | null }[];
const results: ProbeResult[] = [];
for (const t of targets) results.push(...((await c.req('GET', `/api/targets/${t.id}/results?limit=1000`)).json.results as ProbeResult[]));
const history = (await c.req('GET', `/api/targets/${targets[0]!.id}/history?from=${Date.now() - 60_000}&step=60`)).json;
const health = await c.req('GET', '/api/health');
await actors.shutdown(1000);
await peer.close();
await db.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ targets: targets.map((t) => ({ id: t.id, ratio24h: t.ratio24h })), results, history, health: { status: health.status, body: health.json } })}\n`);
process.exit(0);
