/**
 * Section `ingest`: rows/s through storeBatch (the writer's path), 1,000 results a batch.
 */
import type { ProbeResult } from '../../src/domain/types.js';
import { storeBatch } from '../../src/store/rollups.js';
import { command, r1 } from './common.js';
import { countRows, openFresh } from './stores.js';

function syntheticBatch(start: number, size: number, targets: number, t0: number): ProbeResult[] {
  const out: ProbeResult[] = new Array(size);
  for (let k = 0; k < size; k++) {
    const i = start + k;
    const ok = i % 50 !== 0;
    out[k] = {
      targetId: (i % targets) + 1,
      startedAt: t0 + Math.floor(i / targets) * 1000 + (i % 1000),
      outcome: ok ? 'success' : 'refused',
      connectMs: ok ? 0.05 + (i % 97) / 1000 : null,
      dnsMs: null,
      address: `127.0.0.${2 + (i % 10)}`,
      localPort: 32768 + (i % 28000),
      errorCode: ok ? null : 'ECONNREFUSED',
    };
  }
  return out;
}

export async function ingest(dialect: 'sqlite' | 'mysql', rows: number) {
  const store = await openFresh(dialect);
  try {
    const t0 = Date.now() - 86_400_000;
    let busy = 0;
    for (let i = 0; i < rows; i += 1000) {
      const batch = syntheticBatch(i, Math.min(1000, rows - i), 1000, t0);
      const s = performance.now();
      await storeBatch(store.db, batch);
      busy += performance.now() - s;
    }
    const stored = await countRows(store.db);
    if (stored !== rows) throw new Error(`ingest: stored ${stored} of ${rows}`);
    return { dialect, rows, seconds: r1(busy / 1000), rowsPerSec: Math.round(rows / (busy / 1000)), command: command('ingest', { dialect, 'ingest-rows': rows }) };
  } finally {
    await store.cleanup();
  }
}
