/**
 * Bench section `config` (issue 14 §3 "10,000 targets import in one request in < 10 s on SQLite"):
 * one POST /api/config of a YAML file with `targets` targets through the real Hono app on a fresh
 * store, timed from request to response; then the same file again (all unchanged) and the export.
 */
import YAML from 'yaml';
import type { Db } from '../src/store/db.js';
import { testApp } from '../tests/helpers/app.js';

/** One run's figures, seconds. */
export interface ConfigImportRow {
  targets: number;
  bytes: number;
  importSec: number;
  reimportSec: number;
  exportSec: number;
  goalMet: boolean;
}

/** Goal of the issue, seconds. */
export const CONFIG_IMPORT_GOAL_S = 10;

/** Imports `n` targets (loopback hosts, disabled so nothing probes) into `db` and times it. */
export async function configImport(db: Db, n: number): Promise<ConfigImportRow> {
  const app = await testApp(db);
  const c = app.client();
  await c.login('admin', 'correct horse');
  const targets = Array.from({ length: n }, (_, i) => ({
    key: `bench-${i}`,
    name: `Bench ${i}`,
    host: `127.0.${(i >> 8) & 255}.${i & 255}`,
    port: 1024 + (i % 60000),
    intervalSeconds: 60,
    timeoutMs: null,
    retentionValue: 7,
    retentionUnit: 'day',
    enabled: false,
  }));
  const text = YAML.stringify({ version: 1, targets });
  const time = async (fn: () => Promise<{ status: number; json: unknown }>) => {
    const t0 = performance.now();
    const r = await fn();
    if (r.status !== 200) throw new Error(`config bench: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    return Math.round((performance.now() - t0) / 100) / 10;
  };
  const post = () => c.req('POST', '/api/config?mode=replace', text, { 'content-type': 'application/yaml' });
  const importSec = await time(post);
  const reimportSec = await time(post);
  const exportSec = await time(() => c.req('GET', '/api/config'));
  return { targets: n, bytes: Buffer.byteLength(text), importSec, reimportSec, exportSec, goalMet: importSec < CONFIG_IMPORT_GOAL_S };
}
