/**
 * History buckets on a viewer's local clock (issue 7 part 6): day buckets at local midnight and
 * hour buckets at local hours in Europe/London, Asia/Kolkata (+5:30), Asia/Kathmandu (+5:45) and
 * America/New_York, across both DST changes of 2026; 23- and 25-hour days; the API's `tz` on
 * every store, answered exactly (rollups agree with raw rows), and an unknown zone refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalZone, localWindow } from '../src/domain/local-buckets.js';
import type { HistoryBucket, ProbeResult } from '../src/domain/types.js';
import type { Db } from '../src/store/db.js';
import { historyBuckets, localSourceFor } from '../src/store/history.js';
import { storeBatch } from '../src/store/rollups.js';
import { createTarget } from '../src/store/targets.js';
import { STORES } from './helpers/stores.js';
import { testApp, type Client } from './helpers/app.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => `${new Date(t).toISOString().slice(0, 16)}Z`;
/** Starts and lengths (hours) of the local day buckets over [from, to). */
const days = (from: string, to: string, zone: string) => {
  const w = localWindow(at(from), at(to), 86_400, zone);
  return w.starts.map((s, i) => [iso(s), ((w.starts[i + 1] ?? w.to) - s) / H]);
};

describe('local bucket boundaries (tz database through Intl)', () => {
  it('Europe/London: days start at local midnight, 23 hours on 29 March, 25 hours on 25 October', () => {
    expect(days('2026-03-28T12:00Z', '2026-03-30T12:00Z', 'Europe/London')).toEqual([
      ['2026-03-28T00:00Z', 24],
      ['2026-03-29T00:00Z', 23],
      ['2026-03-29T23:00Z', 24],
    ]);
    expect(days('2026-10-24T12:00Z', '2026-10-26T12:00Z', 'Europe/London')).toEqual([
      ['2026-10-23T23:00Z', 24],
      ['2026-10-24T23:00Z', 25],
      ['2026-10-26T00:00Z', 24],
    ]);
  });
  it('America/New_York: 23 hours on 8 March, 25 hours on 1 November', () => {
    expect(days('2026-03-08T12:00Z', '2026-03-09T12:00Z', 'America/New_York')).toEqual([
      ['2026-03-08T05:00Z', 23],
      ['2026-03-09T04:00Z', 24],
    ]);
    expect(days('2026-11-01T12:00Z', '2026-11-02T12:00Z', 'America/New_York')).toEqual([
      ['2026-11-01T04:00Z', 25],
      ['2026-11-02T05:00Z', 24],
    ]);
  });
  it('hour buckets follow the local clock: 23 on a spring day, 25 with the repeated hour twice on an autumn day', () => {
    const spring = localWindow(at('2026-03-08T05:00Z'), at('2026-03-09T04:00Z'), 3600, 'America/New_York');
    expect(spring.count).toBe(23);
    expect(spring.starts.slice(1, 3).map(iso)).toEqual(['2026-03-08T06:00Z', '2026-03-08T07:00Z']); // 01:00 EST, then 03:00 EDT
    const autumn = localWindow(at('2026-11-01T04:00Z'), at('2026-11-02T05:00Z'), 3600, 'America/New_York');
    expect(autumn.count).toBe(25);
    expect(autumn.starts.slice(1, 4).map(iso)).toEqual(['2026-11-01T05:00Z', '2026-11-01T06:00Z', '2026-11-01T07:00Z']); // 01:00 EDT, 01:00 EST, 02:00 EST
    expect(new Set(autumn.starts.map((s, i) => (autumn.starts[i + 1] ?? autumn.to) - s))).toEqual(new Set([H]));
  });
  it('half- and quarter-hour zones: hours at :30 and :15 UTC, read from the 5-minute rollups', () => {
    const kolkata = localWindow(at('2026-06-01T00:00Z'), at('2026-06-01T03:00Z'), 3600, 'Asia/Kolkata');
    expect(kolkata.starts.map(iso)).toEqual(['2026-05-31T23:30Z', '2026-06-01T00:30Z', '2026-06-01T01:30Z', '2026-06-01T02:30Z']);
    expect(localSourceFor(kolkata)).toBe('results_5m');
    const kathmandu = localWindow(at('2026-06-01T00:00Z'), at('2026-06-03T00:00Z'), 86_400, 'Asia/Kathmandu');
    expect(kathmandu.starts.map(iso)).toEqual(['2026-05-31T18:15Z', '2026-06-01T18:15Z', '2026-06-02T18:15Z']);
    expect(localSourceFor(kathmandu)).toBe('results_5m');
    expect(localSourceFor(localWindow(at('2026-06-01T00:00Z'), at('2026-06-01T01:00Z'), 60, 'Asia/Kathmandu'))).toBe('results_1m');
    expect(localSourceFor(localWindow(at('2026-03-01T00:00Z'), at('2026-04-01T00:00Z'), 86_400, 'Europe/London'))).toBe('results_1h');
    expect(localSourceFor(localWindow(at('2026-03-01T00:00Z'), at('2026-03-01T00:01Z'), 10, 'Asia/Kathmandu'))).toBe('results');
  });
  it('UTC is the epoch alignment; zone names are canonicalised and anything else refused', () => {
    const w = localWindow(at('2026-03-29T00:10Z'), at('2026-03-29T02:50Z'), 3600, 'UTC');
    expect([w.from, w.to, w.count]).toEqual([at('2026-03-29T00:00Z'), at('2026-03-29T03:00Z'), 3]);
    expect(canonicalZone('europe/london')).toBe('Europe/London');
    expect(canonicalZone('utc')).toBe('UTC');
    expect(canonicalZone('Asia/Kolkata')).toBe('Asia/Kolkata'); // kept as given (ICU's own name is Asia/Calcutta)
    for (const bad of ['Mars/Olympus_Mons', '+05:30', '', 'Europe/London; DROP TABLE results', '../etc/passwd']) expect(canonicalZone(bad)).toBeNull();
  });
});

/** The local day (YYYY-MM-DD) and hour of `t` in `zone`, read independently of local-buckets.ts. */
function localParts(t: number, zone: string) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'longOffset' })
      .formatToParts(t)
      .map((x) => [x.type, x.value]),
  );
  return { day: `${p.year}-${p.month}-${p.day}`, hour: `${p.year}-${p.month}-${p.day} ${p.hour} ${p.timeZoneName}`, minute: p.minute };
}

describe.each(STORES)('history by local buckets on $name', (store) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let c: Client;
  let id: number;
  const rows: ProbeResult[] = [];
  // one attempt every 10 minutes over both 2026 DST changes of London and New York
  const spans = [
    [at('2026-03-06T00:00Z'), at('2026-03-31T00:00Z')],
    [at('2026-10-23T00:00Z'), at('2026-11-03T00:00Z')],
  ];

  beforeAll(async () => {
    ({ db, cleanup } = await store.open());
    const t = await createTarget(db, { name: 'local', host: '127.0.0.1', port: 9, intervalSeconds: 600, timeoutMs: null, retentionValue: 10, retentionUnit: 'year' }, Date.now());
    id = t.id;
    for (const [from, to] of spans) {
      for (let s = from!, i = 0; s < to!; s += 600_000, i++) {
        const ok = i % 7 !== 3;
        rows.push({
          targetId: id,
          startedAt: s,
          outcome: ok ? 'success' : 'refused',
          connectMs: ok ? (i % 50) + 0.25 : null,
          dnsMs: null,
          address: '127.0.0.1',
          localPort: 1,
          errorCode: ok ? null : 'ECONNREFUSED',
        });
      }
    }
    for (let i = 0; i < rows.length; i += 1000) await storeBatch(db, rows.slice(i, i + 1000));
    c = (await testApp(db)).client();
    await c.login('admin', 'correct horse');
  });
  afterAll(() => cleanup());

  const cases = [
    ['Europe/London', '2026-03-27T00:00Z', '2026-04-01T00:00Z'],
    ['Europe/London', '2026-10-23T00:00Z', '2026-10-28T00:00Z'],
    ['America/New_York', '2026-03-06T12:00Z', '2026-03-10T12:00Z'],
    ['America/New_York', '2026-10-30T12:00Z', '2026-11-03T00:00Z'],
    ['Asia/Kolkata', '2026-03-26T00:00Z', '2026-03-30T00:00Z'],
    ['Asia/Kathmandu', '2026-10-25T00:00Z', '2026-10-29T00:00Z'],
  ] as const;
  it.each(
    cases.flatMap(
      ([zone, from, to]) =>
        [
          [zone, from, to, 86_400],
          [zone, from, to, 3600],
        ] as const,
    ),
  )('%s from %s to %s by %i s: buckets start on the local clock and count every attempt once', async (zone, from, to, step) => {
    const r = await c.req('GET', `/api/targets/${id}/history?from=${at(from)}&to=${at(to)}&step=${step}&tz=${encodeURIComponent(zone)}`);
    expect(r.status).toBe(200);
    expect(r.json.tz).toBe(zone);
    const buckets = r.json.buckets as HistoryBucket[];
    // every bucket starts at a local midnight (days) or a local whole hour (hours)
    for (const b of buckets) {
      const p = localParts(b.t, zone);
      expect(p.minute).toBe('00');
      if (step === 86_400) expect(p.hour.slice(11, 13)).toBe('00');
    }
    // the expected count per local day / local hour (an hour repeated at a DST change is two)
    const key = (t: number) => (step === 86_400 ? localParts(t, zone).day : localParts(t, zone).hour);
    const expected = new Map<string, number>();
    for (const row of rows) if (row.startedAt >= r.json.from && row.startedAt < r.json.to) expected.set(key(row.startedAt), (expected.get(key(row.startedAt)) ?? 0) + 1);
    const got = new Map(buckets.filter((b) => b.attempts > 0).map((b) => [key(b.t), b.attempts]));
    expect(got).toEqual(expected);
    expect(new Set(buckets.map((b) => key(b.t))).size).toBe(buckets.length);
    // the rollups answer exactly as the raw rows
    const w = localWindow(at(from), at(to), step, zone);
    const raw = await historyBuckets(db, id, w, 'results');
    const rolled = await historyBuckets(db, id, w);
    expect(rolled.map((b) => [b.t, b.attempts, b.successes, b.outcomes, b.connectMs.min, b.connectMs.max])).toEqual(
      raw.map((b) => [b.t, b.attempts, b.successes, b.outcomes, b.connectMs.min, b.connectMs.max]),
    );
    rolled.forEach((b, i) => expect(b.connectMs.avg!).toBeCloseTo(raw[i]!.connectMs.avg!, 9));
  });

  it('a 23-hour and a 25-hour day hold 23 and 25 hours of attempts', async () => {
    const get = async (zone: string, day: string) => {
      const r = await c.req('GET', `/api/targets/${id}/history?from=${at(day) - 6 * H}&to=${at(day) + 30 * H}&step=86400&tz=${zone}`);
      return (r.json.buckets as HistoryBucket[]).map((b) => [iso(b.t), b.attempts]);
    };
    expect(await get('Europe/London', '2026-03-29T00:00Z')).toEqual([
      ['2026-03-28T00:00Z', 144],
      ['2026-03-29T00:00Z', 138],
      ['2026-03-29T23:00Z', 144],
    ]);
    expect(await get('America/New_York', '2026-11-01T00:00Z')).toEqual([
      ['2026-10-31T04:00Z', 144],
      ['2026-11-01T04:00Z', 150],
      ['2026-11-02T05:00Z', 114],
    ]);
  });

  it('tz is optional (UTC) and an unknown zone is a 400 naming the field', async () => {
    const utc = await c.req('GET', `/api/targets/${id}/history?from=${at('2026-03-29T00:00Z')}&to=${at('2026-03-31T00:00Z')}&step=86400`);
    expect(utc.status).toBe(200);
    expect(utc.json.tz).toBe('UTC');
    expect(utc.json.buckets.map((b: HistoryBucket) => [iso(b.t), b.attempts])).toEqual([
      ['2026-03-29T00:00Z', 144],
      ['2026-03-30T00:00Z', 144],
    ]);
    for (const bad of ['Mars/Olympus_Mons', '+05:30', '']) {
      const r = await c.req('GET', `/api/targets/${id}/history?step=3600&tz=${encodeURIComponent(bad)}`);
      expect(r.status).toBe(400);
      expect(r.json.fields.tz).toMatch(/IANA time zone/);
    }
    const lower = await c.req('GET', `/api/targets/${id}/history?from=${at('2026-03-29T00:00Z')}&to=${at('2026-03-30T00:00Z')}&step=86400&tz=europe/london`);
    expect(lower.json.tz).toBe('Europe/London');
  });
});
