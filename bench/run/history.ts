/** Section 4: history of one target with 30 days of 1 s results, among 50 others, through the real app. */
import { SQL } from 'sql-template-strings';
import { alignWindow } from '../../src/domain/history-steps.js';
import type { Db } from '../../src/store/db.js';
import { fillBuckets, historyBuckets } from '../../src/store/history.js';
import { rebuildRollups } from '../../src/store/rollups.js';
import { createTarget } from '../../src/store/targets.js';
import { testApp } from '../../tests/helpers/app.js';
import { command, countRows, median, openFresh, r1 } from './common.js';

const DAY = 86_400_000;

async function generateRaw(db: Db, targetId: number, from: number, count: number, everyMs: number): Promise<void> {
  // k = 0 … count-1; every 97th probe refused, connect time varies; done in the database
  const cols = `INSERT INTO results (target_id, started_at, outcome, connect_ms, dns_ms, address, local_port, error_code) `;
  const sel = (k: string) => `SELECT ${targetId}, ${from} + ${k} * ${everyMs},
      CASE WHEN ${k} % 97 = 0 THEN 'refused' ELSE 'success' END,
      CASE WHEN ${k} % 97 = 0 THEN NULL ELSE 0.05 + (${k} % 89) / 1000.0 END, NULL, '127.0.0.2',
      32768 + ${k} % 28000, CASE WHEN ${k} % 97 = 0 THEN 'ECONNREFUSED' ELSE NULL END`;
  const chunk = 500_000;
  for (let s = 0; s < count; s += chunk) {
    const e = Math.min(count, s + chunk) - 1;
    await db.tx(async (tx) => {
      if (db.dialect === 'mysql') await tx.run(SQL``.append(`${cols} ${sel('seq')} FROM seq_${s}_to_${e}`));
      else await tx.run(SQL``.append(`${cols} WITH RECURSIVE q(k) AS (SELECT ${s} UNION ALL SELECT k + 1 FROM q WHERE k < ${e}) ${sel('k')} FROM q`));
    });
  }
}

/** Generates the data, then times each case (median of 5 GETs after a warm-up). @throws on a non-200 answer */
export async function history(dialect: 'sqlite' | 'mysql') {
  const store = await openFresh(dialect);
  const db = store.db;
  try {
    const g0 = performance.now();
    const now = Date.now();
    const end = now - (now % 60_000);
    const from = end - 30 * DAY;
    let big = 0;
    for (let i = 0; i < 51; i++) {
      const t = await createTarget(
        db,
        { name: `hist-${i}`, host: '127.0.0.2', port: 9, intervalSeconds: i === 25 ? 1 : 300, timeoutMs: null, retentionValue: 1, retentionUnit: 'year', enabled: false },
        now,
      );
      if (i === 25) big = t.id;
      await generateRaw(db, t.id, from, i === 25 ? 30 * 86_400 : 30 * 288, i === 25 ? 1000 : 300_000);
    }
    await rebuildRollups(db);
    const rawRows = await countRows(db);
    const genSec = r1((performance.now() - g0) / 1000);
    const { client } = await testApp(db, { now: () => end });
    const c = client();
    await c.login('admin', 'correct horse');
    const cases: { label: string; ms: number; step: string; tz?: string }[] = [
      { label: '1 h auto', ms: 3_600_000, step: 'auto' },
      { label: '24 h auto', ms: DAY, step: 'auto' },
      { label: '7 d auto', ms: 7 * DAY, step: 'auto' },
      { label: '30 d auto', ms: 30 * DAY, step: 'auto' },
      // the API refuses more than 5,000 buckets: 24 h at 10 s (8,640) is 400, so the API case is the
      // largest allowed window at 10 s, and 24 h at 10 s is timed on the store query below
      { label: '13.9 h at 10 s (5,000 buckets)', ms: 50_000_000, step: '10' },
      // local buckets: London days read the 1-hour rollups; +5:45 days and +5:30 hours the 1-minute ones
      { label: '30 d by 1 d, Europe/London', ms: 30 * DAY, step: '86400', tz: 'Europe/London' },
      { label: '30 d by 1 d, Asia/Kathmandu', ms: 30 * DAY, step: '86400', tz: 'Asia/Kathmandu' },
      { label: '7 d by 1 h, Asia/Kolkata', ms: 7 * DAY, step: '3600', tz: 'Asia/Kolkata' },
    ];
    const out = [];
    for (const k of cases) {
      const path = `/api/targets/${big}/history?from=${end - k.ms}&to=${end}&step=${k.step}${k.tz ? `&tz=${encodeURIComponent(k.tz)}` : ''}`;
      const warm = await c.req('GET', path);
      if (warm.status !== 200) throw new Error(`history ${k.label}: ${warm.status} ${JSON.stringify(warm.json)}`);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        await c.req('GET', path);
        times.push(performance.now() - s);
      }
      out.push({ dialect, query: k.label, step: warm.json.step, buckets: warm.json.buckets.length, medianMs: r1(median(times)), command: command('history', { dialect }) });
    }
    {
      const w = alignWindow(end - DAY, end, 10);
      await historyBuckets(db, big, w);
      const times: number[] = [];
      let n = 0;
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        n = fillBuckets(w, await historyBuckets(db, big, w)).length;
        times.push(performance.now() - s);
      }
      out.push({ dialect, query: '24 h at 10 s (store query; API refuses > 5,000 buckets)', step: 10, buckets: n, medianMs: r1(median(times)), command: command('history', { dialect }) });
    }
    return { rawRows, generateSec: genSec, queries: out };
  } finally {
    await store.cleanup();
  }
}
