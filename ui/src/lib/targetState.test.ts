import { describe, expect, it } from 'vitest';
import { outageZoom, stateText } from './targetState.ts';

describe('target state wording', () => {
  it('says the state and for how long', () => {
    expect(stateText('up', 1000, 1000 + 185_000)).toBe('Up for 3 min 5 s');
    expect(stateText('down', 0, 2 * 3_600_000)).toBe('Down for 2 h');
    expect(stateText('unknown', null, 5)).toBe('Unknown');
  });
  it('zooms to an outage with a margin, an open one up to now', () => {
    expect(outageZoom({ start: 1_000_000, end: 1_000_000 + 3_600_000 }, 10_000_000)).toEqual({ from: 1_000_000 - 360_000, to: 1_000_000 + 3_960_000 });
    expect(outageZoom({ start: 600_000, end: null }, 660_000)).toEqual({ from: 540_000, to: 660_000 });
  });
});
