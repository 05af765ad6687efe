import { describe, expect, it } from 'vitest';
import { deltaIds, outcomeCode, stateCode, type LiveSnapshot } from '../../../src/domain/live-frame.ts';
import { applyDelta, indexOf, rowsOfSnapshot } from './liveRows.ts';

const T = 1_800_000_000; // s
const snapshot = (): LiveSnapshot => ({
  cursor: 'x.1',
  id: [3, 7, 9],
  name: ['a', 'b', 'c'],
  host: ['h', 'h', 'h'],
  port: [1, 2, 3],
  enabled: [1, 1, 0],
  state: [stateCode('up'), stateCode('unknown'), stateCode('unknown')],
  stateSince: [1000, null, null],
  flapping: [0, 0, 0],
  lastAt: [T * 1000 - 1500, null, null],
  outcome: [outcomeCode('success'), -1, -1],
  connectMs: [1.23, null, null],
  errorCode: {},
  ratio: [0.5, null, null],
  locations: { 1: ['edge'] },
  byLocation: {},
});

describe('live rows', () => {
  it('turns the snapshot columns into rows', () => {
    const rows = rowsOfSnapshot(snapshot());
    expect(rows[0]).toMatchObject({ id: 3, enabled: true, state: 'up', lastResult: { outcome: 'success', connectMs: 1.23, startedAt: T * 1000 - 1500 } });
    expect(rows[1]).toMatchObject({ id: 7, lastResult: null, locations: ['edge'], state: 'unknown' });
    expect(rows[2]!.enabled).toBe(false);
  });

  it('applies results, repeats and state changes; a replay or an older result changes nothing', () => {
    const rows = rowsOfSnapshot(snapshot());
    const index = indexOf(rows);
    const d = {
      t: T,
      r: { i: deltaIds([7, 99]), a: [0, 0], o: [outcomeCode('refused'), 0], c: [null, 1], e: { 0: 'ECONNREFUSED' } },
      n: { i: deltaIds([3]), a: [0] },
      s: { i: deltaIds([3]), v: [stateCode('down')], since: [T * 1000] },
    };
    expect(applyDelta(rows, index, d)).toBe(3); // 99 is unknown here
    expect(rows[1]!.lastResult).toEqual({ startedAt: T * 1000, outcome: 'refused', connectMs: null, errorCode: 'ECONNREFUSED' });
    expect(rows[0]!.lastResult).toMatchObject({ startedAt: T * 1000, outcome: 'success', connectMs: 1.23 });
    expect(rows[0]).toMatchObject({ state: 'down', stateSince: T * 1000 });
    const before = JSON.stringify(rows);
    applyDelta(rows, index, { t: T, r: d.r, n: d.n }); // replayed after a reconnect
    applyDelta(rows, index, { t: T - 5, r: { i: deltaIds([7]), a: [0], o: [0], c: [2] } }); // older
    expect(JSON.stringify(rows)).toBe(before);
  });
});
