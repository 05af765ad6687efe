/**
 * The whole built server (`dist/src/main.js`, as `npm test` builds it) run once via `ip netns exec`
 * in the hub namespace of tests/helpers/wire-net.ts (issue 8): a target with a source address, a
 * fixed source port and close mode rst, seeded in its SQLite store; asserted from the spoke's capture.
 * Needs root, iproute2 (`ip netns`) and tcpdump; skipped with the reason otherwise.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetInput } from '../src/domain/target-rules.js';
import { migrate } from '../src/store/migrate.js';
import { listResults } from '../src/store/results.js';
import { openSqlite } from '../src/store/sqlite.js';
import { createTarget } from '../src/store/targets.js';
import { createWire, type Wire } from './helpers/wire-net.js';

const root = join(import.meta.dirname, '..');
let wire: Wire | null = null;
let why: string | null = null;

beforeAll(async () => {
  const w = createWire();
  if ('why' in w) {
    why = w.why;
    return;
  }
  wire = w;
  await wire.listen([7002]);
});
afterAll(() => wire?.remove());

describe('the whole server (dist/src/main.js) in the hub namespace', () => {
  it('probes from the source address and fixed port with RST, as the capture shows, and stores what it sent', async (ctx) => {
    if (why) return ctx.skip(why);
    const main = join(root, 'dist/src/main.js');
    if (!existsSync(main)) throw new Error('dist/src/main.js is missing: run `npm run build` first (npm test does)');
    const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-wire-server-'));
    try {
      const db = openSqlite(join(dataDir, 'netwatch.db'));
      await migrate(db);
      const body = targetInput.parse({
        name: 'server',
        host: '10.77.0.100',
        port: 7002,
        intervalSeconds: 1,
        retentionValue: 1,
        retentionUnit: 'day',
        sourceAddress: '10.77.0.2',
        sourcePortMin: 44000,
        sourcePortMax: 44000,
        closeMode: 'rst',
      });
      const t = await createTarget(db, body, Date.now());
      await db.close();
      await wire!.startCapture();
      const child = spawn('ip', ['netns', 'exec', wire!.hub, process.execPath, main], {
        env: { PATH: process.env.PATH ?? '', NETWATCH_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '18080', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      await new Promise((r) => setTimeout(r, 6000));
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code, stderr).toBe(0);
      const packets = await wire!.stopCapture();
      const check = openSqlite(join(dataDir, 'netwatch.db'));
      const results = (await listResults(check, t.id, { from: 0, to: Date.now() + 1000, limit: 100 })).reverse();
      await check.close();
      expect(results.length).toBeGreaterThanOrEqual(3);
      expect(results.every((r) => r.outcome === 'success' && r.localAddress === '10.77.0.2' && r.localPort === 44000 && r.closeMode === 'rst' && r.scheduledAt !== null)).toBe(true);
      const hub = packets.filter((p) => p.src === '10.77.0.2' && p.sport === 44000 && p.dport === 7002);
      expect(hub.filter((p) => p.flags === 'S').length).toBe(results.length);
      expect(hub.filter((p) => p.flags.startsWith('R')).length).toBeGreaterThanOrEqual(results.length);
      expect(hub.some((p) => p.flags.includes('F'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
