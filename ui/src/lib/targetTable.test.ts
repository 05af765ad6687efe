import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../types.ts';
import { nextSort, pageOf, rowStatus, viewRows } from './targetTable.ts';

let nextId = 1;
const row = (over: Partial<TargetRow> & { outcome?: 'success' | 'refused' | 'local_error' | null; connectMs?: number | null; at?: number; errorCode?: string }): TargetRow => {
  const { outcome = 'success', connectMs = 1, at = 1000, errorCode = null, ...rest } = over;
  return {
    id: nextId++,
    name: 'n',
    host: 'h',
    port: 1,
    intervalSeconds: 1,
    timeoutMs: null,
    effectiveTimeoutMs: 1000,
    retentionValue: 1,
    retentionUnit: 'day',
    enabled: true,
    failureThreshold: 3,
    recoveryThreshold: 1,
    createdAt: 0,
    updatedAt: 0,
    ratio24h: null,
    state: 'unknown',
    stateSince: null,
    flapping: false,
    sourceAddress: null,
    sourcePortMin: null,
    sourcePortMax: null,
    closeMode: 'fin',
    addressFamily: 'any',
    addressPolicy: 'fallback',
    locations: [],
    lastResult: outcome === null ? null : { targetId: 0, startedAt: at, outcome, connectMs: outcome === 'success' ? connectMs : null, dnsMs: null, address: null, localPort: null, errorCode },
    ...rest,
  };
};

describe('row status', () => {
  it('labels up, down with outcome, disabled and no data', () => {
    expect(rowStatus(row({}))).toEqual({ kind: 'up', label: 'up' });
    expect(rowStatus(row({ outcome: 'refused', state: 'down' }))).toEqual({ kind: 'down', label: 'down (refused)' });
    expect(rowStatus(row({ enabled: false }))).toEqual({ kind: 'disabled', label: 'disabled' });
    expect(rowStatus(row({ outcome: null }))).toEqual({ kind: 'nodata', label: 'no data yet' });
  });
  it('follows the state the thresholds decide, naming the last probe where it differs', () => {
    expect(rowStatus(row({ state: 'up', outcome: 'refused' }))).toEqual({ kind: 'up', label: 'up (last probe refused)' });
    expect(rowStatus(row({ state: 'down', outcome: 'refused' }))).toEqual({ kind: 'down', label: 'down (refused)' });
    expect(rowStatus(row({ state: 'down' }))).toEqual({ kind: 'down', label: 'down (last probe success)' });
    expect(rowStatus(row({ state: 'up' }))).toEqual({ kind: 'up', label: 'up' });
    // no state yet: failures below the threshold are not "down"; per-location pills judge the probe alone
    expect(rowStatus(row({ state: 'unknown', outcome: 'refused' }))).toEqual({ kind: 'nodata', label: 'not yet down (refused)' });
    expect(rowStatus(row({ state: 'up', outcome: 'refused' }), false)).toEqual({ kind: 'down', label: 'down (refused)' });
  });
  it('a local_error (NetWatch’s own fault) is "not measured" with the errno, never down', () => {
    expect(rowStatus(row({ outcome: 'local_error', errorCode: 'EMFILE' }))).toEqual({ kind: 'nodata', label: 'not measured (EMFILE)' });
  });
});

describe('search, filter, sort, page', () => {
  const rows = [
    row({ name: 'web 10', host: 'web.example', port: 443, connectMs: 5, ratio24h: 1 }),
    row({ name: 'web 9', host: 'web.example', port: 80, connectMs: 2, ratio24h: 0.5 }),
    row({ name: 'db', host: '10.0.0.5', port: 5432, outcome: 'refused', ratio24h: null, state: 'down' }),
    row({ name: 'old', host: 'old.example', port: 22, enabled: false }),
  ];

  it('searches name, host and port', () => {
    expect(viewRows(rows, 'WEB', 'all', { key: 'name', dir: 'asc' }).map((r) => r.name)).toEqual(['web 9', 'web 10']);
    expect(viewRows(rows, '5432', 'all', { key: 'name', dir: 'asc' }).map((r) => r.name)).toEqual(['db']);
    expect(viewRows(rows, 'web.example:80', 'all', { key: 'name', dir: 'asc' }).map((r) => r.port)).toEqual([80]);
  });

  it('filters by status', () => {
    expect(viewRows(rows, '', 'down', { key: 'name', dir: 'asc' }).map((r) => r.name)).toEqual(['db']);
    expect(viewRows(rows, '', 'disabled', { key: 'name', dir: 'asc' }).map((r) => r.name)).toEqual(['old']);
    expect(viewRows(rows, '', 'up', { key: 'name', dir: 'asc' })).toHaveLength(2);
  });

  it('sorts numerically with nulls last in both directions', () => {
    const asc = viewRows(rows, '', 'all', { key: 'connect', dir: 'asc' }).map((r) => r.name);
    expect(asc).toEqual(['old', 'web 9', 'web 10', 'db']);
    const desc = viewRows(rows, '', 'all', { key: 'ratio', dir: 'desc' }).map((r) => r.name);
    expect(desc.slice(0, 2)).toEqual(['web 10', 'web 9']);
    expect(viewRows(rows, '', 'all', { key: 'status', dir: 'asc' })[0]!.name).toBe('db');
  });

  it('starts every newly clicked column ascending, Connect included, and flips on a second click', () => {
    for (const key of ['name', 'address', 'status', 'connect', 'last', 'ratio'] as const) {
      expect(nextSort({ key: key === 'name' ? 'status' : 'name', dir: 'desc' }, key)).toEqual({ key, dir: 'asc' });
    }
    expect(nextSort({ key: 'connect', dir: 'asc' }, 'connect')).toEqual({ key: 'connect', dir: 'desc' });
    expect(nextSort({ key: 'connect', dir: 'desc' }, 'connect')).toEqual({ key: 'connect', dir: 'asc' });
  });

  it('pages and clamps', () => {
    const many = Array.from({ length: 120 }, (_, i) => i);
    expect(pageOf(many, 0, 50)).toMatchObject({ page: 0, pages: 3 });
    expect(pageOf(many, 2, 50).rows).toHaveLength(20);
    expect(pageOf(many, 9, 50).page).toBe(2);
    expect(pageOf([], 0, 50)).toMatchObject({ page: 0, pages: 1, rows: [] });
  });
});
