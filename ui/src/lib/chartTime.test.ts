import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime, spansDays, timeAxisLabels } from './chartTime.ts';

declare const process: { env: Record<string, string | undefined> };
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  process.env.TZ = savedTz;
});

/** Epoch seconds of a UTC time. */
const s = (d: number, h: number, m = 0, sec = 0) => Date.UTC(2026, 10, d, h, m, sec) / 1000;

describe('chart time axis', () => {
  it('uses 24-hour local time, never am/pm', () => {
    expect(localTime(s(29, 16, 5), 300)).toBe('17:05'); // UTC+01:00 in November
    expect(localTime(s(29, 16, 5, 30), 10)).toBe('17:05:30');
    expect(localTime(s(29, 16, 5, 30) + 0.25, 0.05)).toBe('17:05:30.250');
    const labels = timeAxisLabels([s(29, 3), s(29, 9), s(29, 15), s(29, 21)], 6 * 3600, false);
    expect(labels).toEqual(['04:00', '10:00', '16:00', '22:00']);
    expect(labels.join(' ')).not.toMatch(/am|pm|\//i);
  });

  it('adds the date on the first tick and at each new day when the range spans days', () => {
    const ticks = [s(28, 17), s(28, 23), s(29, 5), s(29, 11)];
    expect(spansDays(ticks[0]!, ticks[3]!)).toBe(true);
    expect(timeAxisLabels(ticks, 6 * 3600, true)).toEqual(['18:00\n2026-11-28', '00:00\n2026-11-29', '06:00', '12:00']);
    expect(spansDays(s(29, 10), s(29, 11))).toBe(false);
  });

  it('shows dates for ticks a day or more apart', () => {
    expect(timeAxisLabels([s(27, 23), s(28, 23)], 86_400, true)).toEqual(['2026-11-28', '2026-11-29']);
  });
});
