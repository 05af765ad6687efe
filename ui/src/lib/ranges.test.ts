import { describe, expect, it } from 'vitest';
import { GROUP_BY, presetRange, RANGE_PRESETS, stepOf } from './ranges.ts';

describe('history ranges', () => {
  it('has the presets of the spec', () => {
    expect(RANGE_PRESETS.map((p) => p.label)).toEqual(['1h', '2h', '4h', '6h', '12h', '24h', '1w', '2w', '4w']);
    expect(presetRange('1w', 1e12)).toEqual({ from: 1e12 - 7 * 86_400_000, to: 1e12 });
    expect(presetRange('nope', 0)).toBeNull();
  });

  it('maps group-by labels to steps', () => {
    expect(GROUP_BY.map((g) => g.label)).toEqual(['auto', '1s', '10s', '20s', '30s', '1m', '10m', '30m', '1h', '1d']);
    expect(stepOf('20s')).toBe(20);
    expect(stepOf('1d')).toBe(86_400);
    expect(stepOf('auto')).toBe('auto');
    expect(stepOf('??')).toBe('auto');
  });
});
