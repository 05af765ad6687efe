/** Section 3: ingest through storeBatch (the writer's store path) in 1,000-row batches. */
import { phaseMs } from '../../src/actors/schedule.js';
import type { ProbeResult } from '../../src/domain/types.js';
import { storeBatch } from '../../src/store/rollups.js';
import { command, countRows, openFresh, r1 } from './common.js';

/** Target ids 1…n in the order their 1 s slots come round (phaseMs): the order results reach the writer. */
const slotOrder = (n: number) => Array.from({ length: n }, (_, i) => i + 1).sort((a, b) => phaseMs(a, 1000) - phaseMs(b, 1000));
let slotOrderCache: number[] = [];

/** Results of `targets` targets at 1 s, in the order probing produces them (by slot, not by id). */
function syntheticBatch(start: number, size: number, targets: number, t0: number): ProbeResult[] {
  if (slotOrderCache.length !== targets) slotOrderCache = slotOrder(targets);
  const out: ProbeResult[] = new Array(size);
  for (let k = 0; k < size; k++) {
    const i = start + k;
    const ok = i % 50 !== 0;
    const targetId = slotOrderCache[i % targets]!;
    out[k] = {
      targetId,
      startedAt: t0 + Math.floor(i / targets) * 1000 + phaseMs(targetId, 1000),
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

/** Stores `rows` synthetic results of 1,000 targets; rows/s of the store's time and of the process's CPU. @throws when not every row was stored */
export async function ingest(dialect: 'sqlite' | 'mysql', rows: number) {
  const store = await openFresh(dialect);
  try {
    const t0 = Date.now() - 86_400_000;
    let busy = 0;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < rows; i += 1000) {
      const batch = syntheticBatch(i, Math.min(1000, rows - i), 1000, t0);
      const s = performance.now();
      await storeBatch(store.db, batch);
      busy += performance.now() - s;
    }
    const cpu = process.cpuUsage(cpu0);
    const stored = await countRows(store.db);
    if (stored !== rows) throw new Error(`ingest: stored ${stored} of ${rows}`);
    // rows per s of this process's CPU: steadier than wall time on a shared machine (the server's CPU is not in it)
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    return {
      dialect,
      rows,
      seconds: r1(busy / 1000),
      rowsPerSec: Math.round(rows / (busy / 1000)),
      rowsPerCpuSec: Math.round(rows / cpuSec),
      command: command('ingest', { dialect, 'ingest-rows': rows }),
    };
  } finally {
    await store.cleanup();
  }
}
