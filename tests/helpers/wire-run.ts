/**
 * Run by tests/wire.test.ts inside the hub namespace (tests/helpers/wire-net.ts): saves targets
 * through the real API (in-process app, so the source-address check reads the namespace's own
 * interfaces), runs the real actors on a fresh SQLite store for `runMs`, optionally deletes a hub
 * address mid-run (`ip addr del`), then reads every target's probe log through the API.
 * argv[2]: JSON `{ targets: body[], runMs, deleteAddress?: { afterMs, cidr, dev } }`.
 * Prints one JSON line: `{ saved: {status, json}[], results: Record<name, ProbeResult[]> }`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startActors } from '../../src/actors/system.js';
import type { ProbeResult } from '../../src/domain/types.js';
import { migrate } from '../../src/store/migrate.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { testApp } from './app.js';

const plan = JSON.parse(process.argv[2]!) as {
  targets: Record<string, unknown>[];
  runMs: number;
  deleteAddress?: { afterMs: number; cidr: string; dev: string };
};

const dir = mkdtempSync(join(tmpdir(), 'netwatch-wire-run-'));
const db = openSqlite(join(dir, 'netwatch.db'));
await migrate(db);
const actors = startActors(db, pino({ level: 'silent' }), {
  writer: { batchSize: 1000, maxBuffered: 100_000, flushEveryMs: 100, maxBackoffMs: 400 },
  reconcileEveryMs: 60_000,
  purgeEveryMs: 3_600_000,
});
const { client } = await testApp(db, { actors });
const c = client();
await c.login('admin', 'correct horse');
const saved: { status: number; json: unknown }[] = [];
for (const body of plan.targets) {
  const r = await c.req('POST', '/api/targets', body);
  saved.push({ status: r.status, json: r.json });
}
if (plan.deleteAddress) {
  const d = plan.deleteAddress;
  setTimeout(() => execFileSync('ip', ['addr', 'del', d.cidr, 'dev', d.dev]), d.afterMs);
}
await new Promise((r) => setTimeout(r, plan.runMs));
await actors.shutdown(3000);
const results: Record<string, ProbeResult[]> = {};
for (const s of saved) {
  const t = s.json as { id?: number; name?: string };
  if (s.status !== 201 || !t.id) continue;
  results[t.name!] = ((await c.req('GET', `/api/targets/${t.id}/results?limit=1000`)).json.results as ProbeResult[]).reverse();
}
await db.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ saved, results })}\n`);
process.exit(0);
