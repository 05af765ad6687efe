import { describe, expect, it } from 'vitest';
import { cadenceLabel, formatUtcMs } from './wireTimes.ts';

const T = Date.UTC(2024, 4, 1, 8, 0, 0, 0);

describe('cadence label', () => {
  it('names the offset within the interval as a capture shows it', () => {
    expect(cadenceLabel(1, T + 312)).toBe('every 1 s at .312');
    expect(cadenceLabel(1, T + 7_005)).toBe('every 1 s at .005');
    expect(cadenceLabel(5, T + 7_312)).toBe('every 5 s at :02.312, :07.312, … of each minute');
    expect(cadenceLabel(30, T + 47_312)).toBe('every 30 s at :17.312, :47.312 of each minute');
    expect(cadenceLabel(60, T + 7_312)).toBe('every 1 min at :07.312');
    expect(cadenceLabel(900, T + 1_087_312)).toBe('every 15 min at :03:07.312, :18:07.312, … of each hour');
    expect(cadenceLabel(3600, T + 187_312)).toBe('every 1 h at :03:07.312');
    expect(cadenceLabel(21_600, T + 187_312)).toBe('every 6 h from 02:03:07.312 UTC');
    expect(cadenceLabel(7, T + 4_312)).toMatch(/^every 7 s \(phase [\d,]+ ms\)$/);
  });
  it('gives the same label for every slot of a target', () => {
    for (let k = 0; k < 20; k++) expect(cadenceLabel(5, T + 7_312 + k * 5000)).toBe('every 5 s at :02.312, :07.312, … of each minute');
  });
  it('formats UTC to the millisecond', () => {
    expect(formatUtcMs(T + 312)).toBe('2024-05-01 08:00:00.312 UTC');
  });
});
