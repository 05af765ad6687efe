/**
 * The wire view and the probe-log CSV on every store: next send times follow the schedule rule,
 * addresses and filters come from the target, and the CSV parses with a real CSV parser (csv-parse),
 * holds exactly the range, pages through more rows than one read and quotes per RFC 4180; README.md
 * lists every column it writes.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phaseMs } from '../src/actors/schedule.js';
import { OUTCOMES, type ProbeResult } from '../src/domain/types.js';
import { wireFilters } from '../src/domain/wire-filters.js';
import { storeBatch } from '../src/store/rollups.js';
import { testApp, type Client } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const NOW = Date.UTC(2031, 4, 6, 12, 0, 0, 123);

/** The CSV columns README.md lists (its table between the `csv-columns` markers), in order. */
function readmeCsvColumns(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.split('<!-- csv-columns')[1]?.split('<!-- /csv-columns -->')[0] ?? '';
  return [...table.matchAll(/^\| `([a-z_]+)` \| [^|]*\S[^|]* \|/gm)].map((m) => m[1]!);
}
const target = (patch: Record<string, unknown>) => ({ name: 'Spoke', host: '127.0.0.1', port: 8443, intervalSeconds: 1, retentionValue: 7, retentionUnit: 'day', ...patch });

describe.each(STORES)('wire view and CSV on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let c: Client;
  const create = async (patch: Record<string, unknown>) => {
    const r = await c.req('POST', '/api/targets', target(patch));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json as { id: number };
  };

  beforeAll(async () => {
    s = await store.open();
    const app = await testApp(s.db, { now: () => NOW });
    c = app.client();
    await c.login('admin', 'correct horse');
  });
  afterAll(() => s.cleanup());

  it.each([1, 7, 60, 3600])('lists the next 10 send times at phase + k·interval for a %i s interval', async (intervalSeconds) => {
    const t = await create({ intervalSeconds });
    const r = await c.req('GET', `/api/targets/${t.id}/wire`);
    expect(r.status).toBe(200);
    const slots = r.json.nextSlots as number[];
    const I = intervalSeconds * 1000;
    expect(slots).toHaveLength(10);
    expect(slots[0]).toBeGreaterThan(NOW);
    expect(slots[0]! - I).toBeLessThanOrEqual(NOW);
    slots.forEach((slot, k) => {
      expect(((slot % I) + I) % I).toBe(phaseMs(t.id, I));
      expect(slot).toBe(slots[0]! + k * I);
    });
  });

  it('lists no send times for a disabled target (it sends nothing)', async () => {
    const t = await create({ enabled: false });
    expect((await c.req('GET', `/api/targets/${t.id}/wire`)).json.nextSlots).toEqual([]);
  });

  it('gives a literal as its own address, and the filters for it', async () => {
    const t = await create({ host: '127.0.0.1', port: 8443 });
    const r = await c.req('GET', `/api/targets/${t.id}/wire`);
    expect(r.json.addresses).toEqual(['127.0.0.1']);
    expect(r.json.dnsError).toBeNull();
    expect(r.json.filters).toEqual(wireFilters({ targetId: t.id, addresses: ['127.0.0.1'], host: '127.0.0.1', port: 8443 }));
    expect(r.json.filters.bpf).toBe('tcp[tcpflags] & tcp-syn != 0 and dst host 127.0.0.1 and dst port 8443');
  });

  it('resolves a name now (localhost) and says why a name does not resolve', async () => {
    const local = await create({ host: 'localhost' });
    const r = await c.req('GET', `/api/targets/${local.id}/wire`);
    expect(r.json.addresses.length).toBeGreaterThan(0);
    for (const a of r.json.addresses as string[]) expect(['127.0.0.1', '::1']).toContain(a);
    const bad = await create({ host: 'nowhere.invalid' });
    const r2 = await c.req('GET', `/api/targets/${bad.id}/wire`);
    expect(r2.json).toMatchObject({ addresses: [], dnsError: 'ENOTFOUND' });
    expect(r2.json.filters.bpf).toContain('dst host nowhere.invalid and dst port 8443');
  });

  it('puts the source address and port range in the filters, and lists only the family it dials', async () => {
    const t = await create({ host: 'localhost', sourceAddress: '127.0.0.1', sourcePortMin: 40000, sourcePortMax: 40099, closeMode: 'rst', addressFamily: 'ipv4' });
    const r = await c.req('GET', `/api/targets/${t.id}/wire`);
    expect(r.status).toBe(200);
    expect(r.json.addresses).toEqual(['127.0.0.1']);
    expect(r.json.filters.bpf).toContain('src host 127.0.0.1');
    expect(r.json.filters.bpf).toContain('src portrange 40000-40099');
  });

  it('404 for unknown targets', async () => {
    for (const path of ['/api/targets/999999/wire', '/api/targets/abc/wire', '/api/targets/999999/results.csv']) {
      expect((await c.req('GET', path)).status).toBe(404);
    }
  });

  it('streams the probe log in the range as CSV, oldest first, every field, parsed by csv-parse', async () => {
    const t = await create({ host: '127.0.0.1' });
    const from = NOW - 3_600_000;
    const rows: ProbeResult[] = [];
    // 2,500 results in range (more than one page), plus one before and one at `to` (excluded)
    for (let i = 0; i < 2500; i++) {
      const outcome = OUTCOMES[i % OUTCOMES.length]!;
      // five rows share one start time across the first page boundary (row 1,000): keyset paging keeps them all, once
      const startedAt = from + (i >= 998 && i <= 1002 ? 998 : i) * 1000 + 312;
      rows.push({
        targetId: t.id,
        startedAt,
        outcome,
        connectMs: outcome === 'success' ? 12.345 : null,
        dnsMs: null,
        address: '127.0.0.1',
        localPort: 40000 + (i % 100),
        errorCode: outcome === 'success' ? null : 'E,"QUOTED"\nLINE',
        scheduledAt: startedAt - 3,
        localAddress: '127.0.0.1',
        closeMode: i % 2 ? 'rst' : 'fin',
        addresses:
          i % 3 === 0
            ? [
                { address: '127.0.0.2', outcome: 'refused', startedAt: startedAt - 1, connectMs: null, localPort: 40000, errorCode: 'ECONNREFUSED' },
                { address: '127.0.0.1', outcome, startedAt, connectMs: null, localPort: 40001, errorCode: null },
              ]
            : null,
      });
    }
    rows.push({ ...rows[0]!, startedAt: from - 1 }, { ...rows[0]!, startedAt: NOW });
    await storeBatch(s.db, rows);
    const r = await c.req('GET', `/api/targets/${t.id}/results.csv?from=${from}&to=${NOW}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="netwatch-target-${t.id}-${from}-${NOW}.csv"`);
    const text = r.json as string;
    expect(text.split('\r\n')[0]).toBe(
      'target_id,started_at_ms,started_at_iso,outcome,connect_ms,dns_ms,address,local_port,error_code,scheduled_at_ms,scheduled_at_iso,send_lag_ms,local_address,close_mode,addresses_tried,location,node',
    );
    // README lists every column, in order, with its unit
    expect(readmeCsvColumns()).toEqual(text.split('\r\n')[0]!.split(','));
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(2500);
    records.forEach((rec, i) => {
      const want = rows[i]!;
      expect(Number(rec.started_at_ms)).toBe(want.startedAt);
      expect(rec.started_at_iso).toBe(new Date(want.startedAt).toISOString());
      expect(rec).toMatchObject({ target_id: String(t.id), outcome: want.outcome, address: '127.0.0.1', local_port: String(want.localPort), dns_ms: '' });
      expect(rec.error_code).toBe(want.errorCode ?? '');
      expect(rec.connect_ms).toBe(want.connectMs === null ? '' : '12.345');
      expect(rec).toMatchObject({ scheduled_at_ms: String(want.startedAt - 3), send_lag_ms: '3', local_address: '127.0.0.1', close_mode: want.closeMode });
      expect(rec.addresses_tried === '' ? null : JSON.parse(rec.addresses_tried!)).toEqual(want.addresses);
    });
  });

  it('sends just the header for an empty range and 400s a bad one, per field', async () => {
    const t = await create({});
    const empty = await c.req('GET', `/api/targets/${t.id}/results.csv?from=1000&to=2000`);
    expect(empty.status).toBe(200);
    expect(parse(empty.json as string, { columns: true })).toEqual([]);
    const bad = await c.req('GET', `/api/targets/${t.id}/results.csv?from=5000&to=4000`);
    expect(bad.status).toBe(400);
    expect(bad.json.fields).toHaveProperty('from');
    const notNumber = await c.req('GET', `/api/targets/${t.id}/results.csv?to=soon`);
    expect(notNumber.status).toBe(400);
    expect(notNumber.json.fields).toHaveProperty('to');
  });
});
