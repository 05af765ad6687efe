/**
 * Issue 13 §3–4 on every store: compare (up to 20 targets, one batched query, the same numbers as
 * each target's own history, in UTC and on local boundaries) and the wall (cells of 1 min, 5 min,
 * 1 h over every target, disabled ones flagged, counts per cell).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL } from 'sql-template-strings';
import type { ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { localWindow } from '../src/domain/local-buckets.js';
import { multiBuckets } from '../src/store/multi-history.js';
import { storeBatch } from '../src/store/rollups.js';
import { wallCells } from '../src/store/wall-cells.js';
import { createTarget } from '../src/store/targets.js';
import { testApp, type Client } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);
const MIN = 60_000;
const probe = (targetId: number, startedAt: number, outcome: ProbeResult['outcome'], connectMs: number | null = null): ProbeResult => ({
  targetId,
  startedAt,
  outcome,
  connectMs: outcome === 'success' ? connectMs : null,
  dnsMs: null,
  address: '127.0.0.1',
  localPort: 40_000,
  errorCode: outcome === 'success' ? null : 'E',
});

describe.each(STORES)('compare and wall on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let c: Client;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    ({ db, cleanup } = await store.open());
    const mk = async (name: string, enabled: boolean) =>
      (ids[name] = (await createTarget(db, { name, host: '127.0.0.1', port: 9, intervalSeconds: 1, timeoutMs: null, retentionValue: 1, retentionUnit: 'year', enabled }, T0)).id);
    await mk('b-spoke', true);
    await mk('a-hub', true);
    await mk('c-off', false);
    const rows: ProbeResult[] = [];
    // a-hub: minute 0: 2 successes (2, 4 ms); minute 1: success 6 ms + refused; minute 2: only local_error; minutes 3–59: one success 1 ms
    rows.push(probe(ids['a-hub']!, T0 + 1000, 'success', 2), probe(ids['a-hub']!, T0 + 2000, 'success', 4));
    rows.push(probe(ids['a-hub']!, T0 + MIN + 5000, 'success', 6), probe(ids['a-hub']!, T0 + MIN + 6000, 'refused'));
    rows.push(probe(ids['a-hub']!, T0 + 2 * MIN + 7000, 'local_error'));
    for (let m = 3; m < 60; m++) rows.push(probe(ids['a-hub']!, T0 + m * MIN + 30_000, 'success', 1));
    // b-spoke: one timeout every minute of the hour, and one success (3 ms) in minutes 30–59
    for (let m = 0; m < 60; m++) {
      rows.push(probe(ids['b-spoke']!, T0 + m * MIN + 10_000, 'timeout'));
      if (m >= 30) rows.push(probe(ids['b-spoke']!, T0 + m * MIN + 20_000, 'success', 3));
    }
    // c-off (disabled): results from before it was disabled, minute 5 only
    rows.push(probe(ids['c-off']!, T0 + 5 * MIN, 'success', 9));
    await storeBatch(db, rows);
    const built = await testApp(db, { now: () => T0 + 30 * MIN + 5000 });
    c = built.client();
    await c.login('admin', 'correct horse');
  });
  afterAll(async () => cleanup());

  it('compares targets on shared buckets, in the order asked, with ratios over measured attempts', async () => {
    const r = await c.req('GET', `/api/charts/compare?ids=${ids['b-spoke']},${ids['a-hub']}&from=${T0}&to=${T0 + 5 * MIN}&step=60&tz=UTC`);
    expect(r.status).toBe(200);
    expect(r.json.t).toEqual([0, 1, 2, 3, 4].map((m) => T0 + m * MIN));
    const [b, a] = r.json.targets;
    expect([a.name, b.name]).toEqual(['a-hub', 'b-spoke']);
    expect(a.attempts).toEqual([2, 2, 1, 1, 1]);
    expect(a.measured).toEqual([2, 2, 0, 1, 1]);
    expect(a.ratio).toEqual([1, 0.5, null, 1, 1]);
    expect(a.connectAvg).toEqual([3, 6, null, 1, 1]);
    expect(b.ratio).toEqual([0, 0, 0, 0, 0]);
    expect(b.connectAvg).toEqual([null, null, null, null, null]);
  });

  it("answers exactly what each target's own history does, for raw and rolled-up steps, in UTC and local zones", async () => {
    const all = [ids['a-hub'], ids['b-spoke'], ids['c-off']].join(',');
    for (const [step, tz] of [
      [10, 'UTC'],
      [60, 'UTC'],
      [300, 'Asia/Kathmandu'],
      [3600, 'Asia/Kolkata'],
      [3600, 'UTC'],
    ] as const) {
      const q = `from=${T0 - 2 * 3_600_000}&to=${T0 + 2 * 3_600_000}&step=${step}&tz=${tz}`;
      const cmp = await c.req('GET', `/api/charts/compare?ids=${all}&${q}`);
      expect(cmp.status).toBe(200);
      for (const t of cmp.json.targets) {
        const h = (await c.req('GET', `/api/targets/${t.id}/history?${q}`)).json;
        expect(cmp.json.t).toEqual(h.buckets.map((b: { t: number }) => b.t));
        expect(t.ratio).toEqual(h.buckets.map((b: { ratio: number | null }) => b.ratio));
        expect(t.attempts).toEqual(h.buckets.map((b: { attempts: number }) => b.attempts || null));
        t.connectAvg.forEach((v: number | null, i: number) => {
          const want = h.buckets[i].connectMs.avg;
          if (want === null) expect(v).toBeNull();
          else expect(v).toBeCloseTo(want, 9);
        });
      }
    }
  });

  it('refuses more than 20 targets, unknown ids and too many buckets with per-field 400s', async () => {
    const many = Array.from({ length: 21 }, (_, i) => i + 1).join(',');
    const r1 = await c.req('GET', `/api/charts/compare?ids=${many}`);
    expect(r1.status).toBe(400);
    expect(r1.json.fields.ids).toMatch(/1–20/);
    const r2 = await c.req('GET', `/api/charts/compare?ids=${ids['a-hub']},999999`);
    expect(r2.status).toBe(400);
    expect(r2.json.fields.ids).toBe('No target with id 999999.');
    const r3 = await c.req('GET', `/api/charts/compare?ids=${ids['a-hub']}&from=${T0}&to=${T0 + 86_400_000}&step=1`);
    expect(r3.status).toBe(400);
    expect(r3.json.fields.step).toMatch(/86,400 buckets; at most 5,000/);
    const anon = await testApp(db, { setupToken: null });
    expect((await anon.client().req('GET', `/api/charts/compare?ids=${ids['a-hub']}`)).status).toBe(401);
    expect((await anon.client().req('GET', '/api/charts/wall')).status).toBe(401);
  });

  it('the wall: every target by name, disabled flagged, cells of 1 min / 5 min / 1 h with counts', async () => {
    const r = await c.req('GET', '/api/charts/wall?range=1h');
    expect(r.status).toBe(200);
    const j = r.json;
    expect(j.targets.map((t: { name: string; enabled: boolean }) => [t.name, t.enabled])).toEqual([
      ['a-hub', true],
      ['b-spoke', true],
      ['c-off', false],
    ]);
    expect([j.step, j.count, j.from, j.to]).toEqual([60, 60, T0 - 29 * MIN, T0 + 31 * MIN]);
    expect(j.attempts).toHaveLength(3 * 60);
    const cell = (k: number, minute: number) => k * 60 + 29 + minute; // cell of T0 + minute
    expect(j.attempts.slice(0, 29)).toEqual(new Array(29).fill(null));
    expect([j.attempts[cell(0, 1)], j.measured[cell(0, 1)], j.successes[cell(0, 1)]]).toEqual([2, 2, 1]);
    expect([j.attempts[cell(0, 2)], j.measured[cell(0, 2)], j.successes[cell(0, 2)]]).toEqual([1, 0, 0]);
    expect([j.attempts[cell(1, 30)], j.measured[cell(1, 30)], j.successes[cell(1, 30)]]).toEqual([2, 2, 1]);
    expect(j.attempts[cell(1, 31)]).toBeNull(); // after "now": the last cell is minute 30
    expect(j.attempts.slice(2 * 60).filter((v: number | null) => v !== null)).toEqual([1]);
    expect(j.successes[cell(2, 5)]).toBe(1);
    const day = (await c.req('GET', '/api/charts/wall?range=24h')).json;
    expect([day.step, day.count, day.attempts.length]).toEqual([300, 288, 3 * 288]);
    expect(day.attempts.slice(0, 288).reduce((s: number, v: number | null) => s + (v ?? 0), 0)).toBe(2 + 2 + 1 + 32); // a-hub's minutes 0–34: the last 5 min cell (30–35) holds now
    const week = (await c.req('GET', '/api/charts/wall?range=7d')).json;
    expect([week.step, week.count]).toEqual([3600, 168]);
    expect(week.attempts[167]).toBe(62); // a-hub's whole hour is in the last cell
    expect((await c.req('GET', '/api/charts/wall?range=2d')).json.fields.range).toMatch(/1h, 24h or 7d/);
    // a part: targets [1, 2) of the name order, with the total
    const part = (await c.req('GET', '/api/charts/wall?range=1h&offset=1&limit=1')).json;
    expect([part.total, part.offset, part.targets.map((t: { name: string }) => t.name)]).toEqual([3, 1, ['b-spoke']]);
    expect(part.attempts).toEqual(j.attempts.slice(60, 120));
    expect((await c.req('GET', '/api/charts/wall?range=1h&offset=2')).json.targets.map((t: { name: string }) => t.name)).toEqual(['c-off']);
    const badPart = (await c.req('GET', '/api/charts/wall?limit=0&offset=x')).json.fields;
    expect([badPart.limit, badPart.offset]).toEqual(['limit must be a whole number 1–1,000,000.', 'offset must be a whole number 0–1,000,000.']);
  });

  it("the wall on the viewer's clock: 1 h cells on local hours in a half-hour zone (Asia/Kolkata, +5:30)", async () => {
    const week = (await c.req('GET', '/api/charts/wall?range=7d&tz=Asia/Kolkata')).json;
    expect([week.step, week.count, week.tz, week.to]).toEqual([3600, 168, 'Asia/Kolkata', T0 + 90 * MIN]);
    expect(week.t.slice(166)).toEqual([T0 - 30 * MIN, T0 + 30 * MIN]); // 15:00 and 16:00 IST
    expect(week.t[0]).toBe(week.from);
    // a-hub's hour splits at T0 + 30 min (UTC: one cell of 62); b-spoke's successes are all in the later cell
    expect([week.attempts[166], week.measured[166], week.successes[166], week.attempts[167]]).toEqual([32, 31, 30, 30]);
    expect([week.attempts[168 + 166], week.successes[168 + 166], week.attempts[168 + 167], week.successes[168 + 167]]).toEqual([30, 0, 60, 30]);
    expect(week.attempts[2 * 168 + 166]).toBe(1);
    // 5 min cells are the same instants in every zone whose offset is a multiple of 5 minutes
    const utc = (await c.req('GET', '/api/charts/wall?range=24h')).json;
    const ist = (await c.req('GET', '/api/charts/wall?range=24h&tz=Asia/Kolkata')).json;
    expect([ist.t, ist.attempts, ist.successes]).toEqual([utc.t, utc.attempts, utc.successes]);
    const bad = await c.req('GET', '/api/charts/wall?tz=Mars/Olympus');
    expect(bad.status).toBe(400);
    expect(bad.json.fields.tz).toMatch(/IANA time zone/);
  });

  it('wall cells (packed per target) equal the batched history of each target, also when the packed string is cut short', async () => {
    const all = Object.values(ids);
    for (const [step, zone] of [
      [60, 'UTC'],
      [300, 'Asia/Kathmandu'],
      [3600, 'Asia/Kolkata'],
      [3600, 'Europe/Berlin'],
    ] as const) {
      const w = localWindow(T0 - 3_600_000, T0 + 3_600_000, step, zone);
      const cells = await wallCells(db, all, w, 2);
      const each = await multiBuckets(db, all, w);
      all.forEach((id, k) => {
        const mine = (a: (number | null)[]) => a.slice(k * w.count, (k + 1) * w.count);
        expect([mine(cells.attempts), mine(cells.measured), mine(cells.successes)]).toEqual([each.get(id)!.attempts, each.get(id)!.measured, each.get(id)!.successes]);
      });
      if (db.dialect !== 'mysql') continue;
      // one connection with GROUP_CONCAT cut at 8 bytes: the cut strings are detected and read row by row
      const cut = await db.tx(async (tx) => {
        await tx.run(SQL`SET SESSION group_concat_max_len = 8`);
        try {
          return await wallCells(tx, all, w, 2);
        } finally {
          await tx.run(SQL`SET SESSION group_concat_max_len = 1048576`);
        }
      });
      expect(cut).toEqual(cells);
    }
  });
});
