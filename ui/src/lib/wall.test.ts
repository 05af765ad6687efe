import { describe, expect, it } from 'vitest';
import type { Wall } from '../types.ts';
import { idsFromQuery } from './compareSelection.ts';
import { cellAt, cellColor, cellRange, joinWall, moveCell, ratioColor, visibleRows, wallReadout, WALL_COLORS } from './wall.ts';

const T = Date.UTC(2026, 11, 1, 10, 0);
const wall: Wall = {
  from: T,
  to: T + 3 * 60_000,
  step: 60,
  tz: 'UTC',
  count: 3,
  t: [T, T + 60_000, T + 120_000],
  total: 2,
  offset: 0,
  targets: [
    { id: 1, name: 'hub', host: 'h', port: 1, enabled: true },
    { id: 2, name: 'off', host: 'h', port: 2, enabled: false },
  ],
  attempts: [4, null, 2, null, 1, null],
  measured: [4, null, 0, null, 1, null],
  successes: [3, null, 0, null, 1, null],
};

describe('wall rules', () => {
  it('colours ratios red → yellow → green, gaps grey, a disabled target purple', () => {
    expect([ratioColor(0), ratioColor(0.5), ratioColor(1)]).toEqual(['rgb(215, 48, 39)', 'rgb(254, 224, 139)', 'rgb(26, 152, 80)']);
    expect(cellColor(wall, 0, 0)).toBe(ratioColor(0.75));
    expect(cellColor(wall, 0, 1)).toBe(WALL_COLORS.nodata);
    expect(cellColor(wall, 0, 2)).toBe(WALL_COLORS.nodata); // only local errors: nothing measured
    expect(cellColor(wall, 1, 0)).toBe(WALL_COLORS.disabled);
    expect(cellColor(wall, 1, 1)).toBe(ratioColor(1));
  });
  it('finds the cell under a point and the rows in view', () => {
    const l = { labelWidth: 100, plotWidth: 300, rowHeight: 10 };
    expect(cellAt(wall, l, 99, 5)).toBeNull();
    expect(cellAt(wall, l, 100, 5)).toEqual({ k: 0, j: 0 });
    expect(cellAt(wall, l, 399, 15)).toEqual({ k: 1, j: 2 });
    expect(cellAt(wall, l, 400, 15)).toBeNull();
    expect(cellAt(wall, l, 150, 20)).toBeNull();
    expect(visibleRows(1000, 14, 0, 700)).toEqual([0, 50]);
    expect(visibleRows(1000, 14, 13_300, 700)).toEqual([950, 1000]);
    expect(cellRange(wall, 2)).toEqual({ from: T + 120_000, to: T + 180_000 });
    // hour cells on the local clock of a half-hour zone (Asia/Kolkata, +5:30) start at :30 UTC
    const H = 3_600_000;
    const ist: Wall = { ...wall, from: T - H / 2, to: T + (3 * H) / 2, step: 3600, tz: 'Asia/Kolkata', count: 2, t: [T - H / 2, T + H / 2] };
    expect([cellRange(ist, 0), cellRange(ist, 1)]).toEqual([
      { from: T - H / 2, to: T + H / 2 },
      { from: T + H / 2, to: T + (3 * H) / 2 },
    ]);
  });
  it('joins a first part and the rest into one wall, and refuses parts of different walls', () => {
    const part = (k0: number, n: number): Wall => ({
      ...wall,
      offset: k0,
      targets: wall.targets.slice(k0, k0 + n),
      attempts: wall.attempts.slice(k0 * 3, (k0 + n) * 3),
      measured: wall.measured.slice(k0 * 3, (k0 + n) * 3),
      successes: wall.successes.slice(k0 * 3, (k0 + n) * 3),
    });
    expect(joinWall(part(0, 1), part(1, 1))).toEqual(wall);
    expect(joinWall(part(0, 1), { ...part(1, 1), total: 3 })).toBeNull(); // a target added between the requests
    expect(joinWall(part(0, 1), { ...part(1, 1), from: T + 60_000 })).toBeNull(); // the next minute's wall
    expect(joinWall(part(0, 1), { ...part(1, 1), offset: 2 })).toBeNull();
  });
  it('reads a cell: target, time, counts', () => {
    expect(wallReadout(wall, 0, 0)).toMatch(/^hub · .* · 3 of 4 measured ok \(75\.00 %\), 4 attempts$/);
    expect(wallReadout(wall, 0, 1)).toMatch(/^hub · .* · no data$/);
    expect(wallReadout(wall, 0, 2)).toMatch(/· nothing measured, 2 attempts$/);
    expect(wallReadout(wall, 1, 1)).toMatch(/^off \(disabled\) · .* · 1 of 1 measured ok \(100 %\), 1 attempt$/);
  });
  it('reads compare ids from the URL: distinct, positive, at most 20', () => {
    expect(idsFromQuery('3,1,3,x,0,-2,7')).toEqual([3, 1, 7]);
    expect(idsFromQuery(Array.from({ length: 25 }, (_, i) => i + 1).join(','))).toHaveLength(20);
    expect(idsFromQuery(undefined)).toEqual([]);
  });
  it('moves the keyboard cell within the wall', () => {
    expect(moveCell(wall, { k: 0, j: 0 }, 'ArrowLeft', 5)).toEqual({ k: 0, j: 0 });
    expect(moveCell(wall, { k: 0, j: 0 }, 'ArrowDown', 5)).toEqual({ k: 1, j: 0 });
    expect(moveCell(wall, { k: 1, j: 0 }, 'ArrowDown', 5)).toEqual({ k: 1, j: 0 });
    expect(moveCell(wall, { k: 1, j: 1 }, 'PageUp', 5)).toEqual({ k: 0, j: 1 });
    expect(moveCell(wall, { k: 0, j: 0 }, 'End', 5)).toEqual({ k: 0, j: 2 });
    expect(moveCell(wall, { k: 0, j: 2 }, 'Home', 5)).toEqual({ k: 0, j: 0 });
    expect(moveCell(wall, { k: 0, j: 0 }, 'x', 5)).toBeNull();
  });
});
