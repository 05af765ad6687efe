/** Section 5: the dashboard's full list (GET /api/targets) with 10,000 targets and their last results. */
import { SQL } from 'sql-template-strings';
import { startActors } from '../../src/actors/system.js';
import { FAILURE_OUTCOMES } from '../../src/domain/types.js';
import type { Db } from '../../src/store/db.js';
import { ROLLUP_COLUMNS } from '../../src/store/rows.js';
import { testApp } from '../../tests/helpers/app.js';
import { command, createTargets, median, openFresh, r1, silent, sleep } from './common.js';
import type { Peer } from './listeners.js';

/** Hours of hourly rollups per target stored before the dashboard is read. */
export const HISTORY_HOURS = 7 * 24;

/** 7 days of hourly rollups per target before now (the 24 h ratio must not read all of them). */
export async function seedRollups(db: Db, dialect: 'sqlite' | 'mysql'): Promise<void> {
  const hour = Date.now() - (Date.now() % 3_600_000);
  const cols = `INSERT INTO results_1h ${ROLLUP_COLUMNS} `;
  // 10 refused an hour, no other failure outcome (one count per FAILURE_OUTCOMES column)
  const fails = FAILURE_OUTCOMES.map((o) => (o === 'refused' ? 10 : 0)).join(', ');
  const vals = (k: string) => `SELECT t.id, ${hour} - ${k} * 3600000, 3600, 3590, 359, 3590, 0.05, 0.9, ${fails}`;
  await db.tx(async (tx) => {
    if (dialect === 'mysql') await tx.run(SQL``.append(`${cols} ${vals('seq')} FROM targets t JOIN seq_1_to_${HISTORY_HOURS} h`));
    else await tx.run(SQL``.append(`${cols} WITH RECURSIVE h(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM h WHERE k < ${HISTORY_HOURS}) ${vals('k')} FROM targets t, h`));
  });
}

/** Probes every target a few times with the real actors, then times the list (median of 5). @throws on a non-200 answer */
export async function dashboard(dialect: 'sqlite' | 'mysql', n: number, L: { peers: Peer[] }) {
  const store = await openFresh(dialect);
  const db = store.db;
  try {
    await createTargets(db, n, L.peers);
    await seedRollups(db, dialect);
    // the real actors probe every target a few times, so the writer holds each last result
    const actors = startActors(db, silent, { purgeEveryMs: 3_600_000 });
    await actors.reconcile();
    const until = performance.now() + 20_000;
    while (actors.latest.snapshot().size < n && performance.now() < until) await sleep(200);
    await sleep(1500);
    await actors.shutdown(30_000);
    const { client, app } = await testApp(db, { actors });
    const c = client();
    await c.login('admin', 'correct horse');
    // timed until the whole response body is in (the browser's JSON.parse is not counted)
    const get = async () => {
      const s = performance.now();
      const res = await app.request('http://localhost/api/targets', { headers: { cookie: c.cookie } });
      const text = await res.text();
      return { ms: performance.now() - s, text, status: res.status };
    };
    const firstRes = await get();
    if (firstRes.status !== 200) throw new Error(`dashboard: ${firstRes.status}`);
    const warmMs = firstRes.ms;
    const times: number[] = [];
    let text = '';
    for (let i = 0; i < 5; i++) {
      const r = await get();
      times.push(r.ms);
      text = r.text;
    }
    const body = JSON.parse(text);
    const withLast = body.targets.filter((t: any) => t.lastResult && t.ratio24h !== null).length;
    return {
      dialect,
      targets: body.targets.length,
      withLastResultAndRatio: withLast,
      rollupHoursPerTarget: HISTORY_HOURS,
      responseMB: r1(text.length / 1048576),
      firstMs: r1(warmMs),
      medianMs: r1(median(times)),
      command: command('dashboard', { dialect }),
    };
  } finally {
    await store.cleanup();
  }
}
