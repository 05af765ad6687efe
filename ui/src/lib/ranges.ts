/** Range presets and group-by choices of the history page. */

/** Range presets: label and length in ms. */
export const RANGE_PRESETS: readonly { label: string; ms: number }[] = [
  ['1h', 1],
  ['2h', 2],
  ['4h', 4],
  ['6h', 6],
  ['12h', 12],
  ['24h', 24],
  ['1w', 168],
  ['2w', 336],
  ['4w', 672],
].map(([label, hours]) => ({ label: label as string, ms: (hours as number) * 3_600_000 }));

/** Group-by choices: label and step in seconds (`auto` lets the server choose). */
export const GROUP_BY: readonly { label: string; step: number | 'auto' }[] = [
  { label: 'auto', step: 'auto' },
  { label: '1s', step: 1 },
  { label: '10s', step: 10 },
  { label: '20s', step: 20 },
  { label: '30s', step: 30 },
  { label: '1m', step: 60 },
  { label: '10m', step: 600 },
  { label: '30m', step: 1800 },
  { label: '1h', step: 3600 },
  { label: '1d', step: 86_400 },
];

/** Parses a group-by label (`auto`, `30s`, `1m`…) to a step; unknown labels mean auto. */
export function stepOf(label: string): number | 'auto' {
  return GROUP_BY.find((g) => g.label === label)?.step ?? 'auto';
}

/** The [from, to] of a preset ending at `now`; null for an unknown label. */
export function presetRange(label: string, now: number): { from: number; to: number } | null {
  const p = RANGE_PRESETS.find((r) => r.label === label);
  return p ? { from: now - p.ms, to: now } : null;
}
