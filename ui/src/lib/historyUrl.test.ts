import { describe, expect, it } from 'vitest';
import { groupByOfStep, queryOfView, viewFromQuery } from './historyUrl.ts';

const NOW = 1_800_000_000_000;

describe('history view in the URL', () => {
  it('reads a preset and a step', () => {
    expect(viewFromQuery({ range: '4h', step: 'auto' }, NOW)).toEqual({ preset: '4h', from: NOW - 4 * 3_600_000, to: NOW, groupBy: 'auto' });
    expect(viewFromQuery({ range: '4w', step: '86400' }, NOW)).toMatchObject({ preset: '4w', groupBy: '1d' });
  });

  it('reads a custom range', () => {
    expect(viewFromQuery({ from: '1000', to: '61000', step: '60' }, NOW)).toEqual({ preset: 'custom', from: 1000, to: 61_000, groupBy: '1m' });
  });

  it('falls back to the last hour, auto, on anything invalid', () => {
    const dflt = { preset: '1h', from: NOW - 3_600_000, to: NOW, groupBy: 'auto' };
    expect(viewFromQuery({}, NOW)).toEqual(dflt);
    expect(viewFromQuery({ range: '3y', step: '7' }, NOW)).toEqual(dflt);
    expect(viewFromQuery({ from: '5000', to: '1000' }, NOW)).toEqual(dflt);
    expect(viewFromQuery({ from: 'x', to: '1000' }, NOW)).toEqual(dflt);
    expect(groupByOfStep(undefined)).toBe('auto');
  });

  it('writes presets as range=, custom ranges as from=&to=, and round-trips', () => {
    expect(queryOfView({ preset: '4h', from: 1, to: 2, groupBy: 'auto' })).toEqual({ range: '4h', from: undefined, to: undefined, step: 'auto' });
    const custom = { preset: 'custom', from: 1000, to: 61_000, groupBy: '10s' };
    const q = queryOfView(custom);
    expect(q).toEqual({ range: undefined, from: '1000', to: '61000', step: '10' });
    expect(viewFromQuery(q, NOW)).toEqual(custom);
  });
});
