import { describe, expect, it } from 'vitest';
import { visibleRange } from './virtualRows.ts';

describe('visible range', () => {
  it('renders the rows in view plus the overscan, clamped to the list', () => {
    expect(visibleRange(10_000, 0, 370, 37, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(10_000, 37 * 5000, 370, 37, 5)).toEqual({ start: 4995, end: 5015 });
    expect(visibleRange(10_000, 37 * 9999, 370, 37, 5)).toEqual({ start: 9994, end: 10_000 });
    expect(visibleRange(3, 0, 370, 37, 5)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(0, 500, 370, 37, 5)).toEqual({ start: 0, end: 0 });
  });
  it('survives a scroll position past the end (a filter shortened the list)', () => {
    expect(visibleRange(20, 37 * 5000, 370, 37, 5)).toEqual({ start: 20, end: 20 });
  });
});
