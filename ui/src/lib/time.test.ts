import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatConnectMs,
  formatDuration,
  formatLocal,
  formatLocalMs,
  formatLocalWithOffset,
  formatRatio,
  formatClock,
  formatRelative,
  formatStep,
  fromDatetimeLocal,
  parseLocal,
  toDatetimeLocal,
  utcOffset,
} from './time.ts';

// The UI tsconfig has no Node types; vitest runs this file in Node, where TZ changes apply at once.
declare const process: { env: Record<string, string | undefined> };

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Asia/Kolkata';
}); // UTC+05:30, no DST
afterAll(() => {
  process.env.TZ = savedTz;
});

const T = Date.UTC(2024, 4, 1, 8, 33, 22, 45); // 2024-05-01 08:33:22.045 UTC

describe('local time formatting', () => {
  it('formats in the local zone with the UTC offset', () => {
    expect(utcOffset(T)).toBe('UTC+05:30');
    expect(formatLocal(T)).toBe('2024-05-01 14:03:22');
    expect(formatLocalWithOffset(T)).toBe('2024-05-01 14:03:22 UTC+05:30');
    expect(formatLocalMs(T)).toBe('2024-05-01 14:03:22.045');
  });

  it('shows negative offsets and DST changes', () => {
    process.env.TZ = 'America/New_York';
    try {
      expect(utcOffset(Date.UTC(2024, 0, 15))).toBe('UTC-05:00');
      expect(utcOffset(Date.UTC(2024, 6, 15))).toBe('UTC-04:00');
    } finally {
      process.env.TZ = 'Asia/Kolkata';
    }
  });

  it('round-trips datetime-local values', () => {
    expect(toDatetimeLocal(T - 45)).toBe('2024-05-01T14:03:22');
    expect(fromDatetimeLocal('2024-05-01T14:03:22')).toBe(T - 45);
    expect(fromDatetimeLocal('2024-05-01T14:03')).toBe(T - 22_045);
    expect(fromDatetimeLocal('')).toBeNull();
    expect(fromDatetimeLocal('yesterday')).toBeNull();
  });

  it('parses From/To typed in the 24-hour format the page shows, and refuses what is not a real time', () => {
    expect(parseLocal(formatLocal(T - 45))).toBe(T - 45);
    expect(parseLocal('2024-05-01 14:03:22')).toBe(T - 45);
    expect(parseLocal(' 2024-05-01T14:03 ')).toBe(T - 22_045);
    expect(formatClock(T - 45)).toBe('14:03:22');
    for (const bad of ['', '2024-05-01', '2024-02-30 10:00:00', '2024-05-01 24:00:00', '2024-05-01 2:03:22 PM', '2024-05-01 14:60:00']) {
      expect(parseLocal(bad), bad).toBeNull();
    }
  });
});

describe('relative and durations', () => {
  it('formats relative times', () => {
    expect(formatRelative(T, T)).toBe('just now');
    expect(formatRelative(T - 12_000, T)).toBe('12 s ago');
    expect(formatRelative(T - 5 * 60_000, T)).toBe('5 min ago');
    expect(formatRelative(T - 3 * 3_600_000, T)).toBe('3 h ago');
    expect(formatRelative(T - 2 * 86_400_000, T)).toBe('2 d ago');
  });

  it('formats durations and steps', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(100_800_000)).toBe('1 d 4 h');
    expect(formatStep(10)).toBe('10s');
    expect(formatStep(60)).toBe('1m');
    expect(formatStep(1800)).toBe('30m');
    expect(formatStep(3600)).toBe('1h');
    expect(formatStep(86_400)).toBe('1d');
  });

  it('formats connect times and ratios', () => {
    expect(formatConnectMs(null)).toBe('—');
    expect(formatConnectMs(0.4213)).toBe('0.42 ms');
    expect(formatConnectMs(12.34)).toBe('12.3 ms');
    expect(formatConnectMs(1204.2)).toBe('1,204 ms');
    expect(formatRatio(null)).toBe('—');
    expect(formatRatio(1)).toBe('100 %');
    expect(formatRatio(0)).toBe('0 %');
    expect(formatRatio(0.99951)).toBe('99.95 %');
  });
});
