/** The writer's buffer: bound, drop counting, and how long results have waited (health's stall signal). */
import { describe, expect, it } from 'vitest';
import { ResultBuffer } from '../src/actors/result-buffer.js';
import type { ProbeResult } from '../src/domain/types.js';

const r = (targetId: number, startedAt: number): ProbeResult => ({ targetId, startedAt, outcome: 'success', connectMs: 1, dnsMs: null, address: '127.0.0.1', localPort: 1, errorCode: null });

describe('ResultBuffer', () => {
  it('keeps at most the bound, dropping and counting the oldest', () => {
    const b = new ResultBuffer({ batchSize: 2, maxBuffered: 3 });
    for (let i = 0; i < 5; i++) b.push(r(1, i));
    expect(b.size).toBe(3);
    expect(b.stats.dropped).toBe(2);
    expect(b.peekBatch().map((x) => x.startedAt)).toEqual([2, 3]);
    expect(b.latest.get(1)!.startedAt).toBe(4);
  });

  it('reports how long results have waited since the last successful flush', async () => {
    const b = new ResultBuffer({ batchSize: 10, maxBuffered: 100 });
    expect(b.waitingMs(Date.now())).toBe(0);
    b.push(r(1, 1));
    await new Promise((res) => setTimeout(res, 30));
    expect(b.waitingMs(Date.now())).toBeGreaterThanOrEqual(25);
    b.commit(b.peekBatch());
    expect(b.size).toBe(0);
    expect(b.waitingMs(Date.now())).toBe(0);
    expect(b.stats.written).toBe(1);
  });
});
