/**
 * How the wire panel words a target's send times (issue 8): slots are `phase + k·interval` UTC epoch
 * ms (src/actors/schedule.ts), so within each interval a SYN always leaves at the same offset. The
 * cadence label names that offset the way an engineer reads a capture: "every 1 s at .312",
 * "every 5 s at :02.312, :07.312, … of each minute". Offsets below an hour are the same on every
 * clock whose UTC offset is whole minutes (every zone in use); longer ones are said in UTC.
 */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const mod = (a: number, m: number) => ((a % m) + m) % m;

/** `:ss.mmm` of a millisecond offset within a minute. */
const secMs = (ms: number) => `:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
/** `:mm:ss.mmm` of a millisecond offset within an hour. */
const minSecMs = (ms: number) => `:${pad(Math.floor(ms / 60_000) % 60)}${secMs(ms % 60_000)}`;

/**
 * The cadence of a target's slots, e.g. "every 1 s at .312", "every 5 s at :02.312, :07.312, … of
 * each minute", "every 1 min at :07.312", "every 15 min at :03:07.312, :18:07.312, … of each hour",
 * or for intervals that do not divide an hour or a day, "every 7 s (phase 4,312 ms)".
 * @param intervalSeconds the target's interval, s; @param slot any one of its slots, UTC epoch ms
 */
export function cadenceLabel(intervalSeconds: number, slot: number): string {
  const I = intervalSeconds * 1000;
  const phase = mod(slot, I);
  if (intervalSeconds === 1) return `every 1 s at .${pad(phase, 3)}`;
  const list = (within: number, unit: number, fmt: (ms: number) => string, of: string) => {
    const offsets = Array.from({ length: Math.min(2, within / unit) }, (_, k) => fmt(mod(slot, unit) + k * unit));
    return within / unit > 2 ? `${offsets.join(', ')}, … ${of}` : `${offsets.join(', ')} ${of}`;
  };
  if (I < 60_000 && 60_000 % I === 0) return `every ${intervalSeconds} s at ${list(60_000, I, secMs, 'of each minute')}`;
  if (I === 60_000) return `every 1 min at ${secMs(mod(slot, I))}`;
  if (I < 3_600_000 && 3_600_000 % I === 0) return `every ${intervalSeconds / 60} min at ${list(3_600_000, I, minSecMs, 'of each hour')}`;
  if (I === 3_600_000) return `every 1 h at ${minSecMs(mod(slot, I))}`;
  if (I <= 86_400_000 && 86_400_000 % I === 0) {
    const first = new Date(mod(slot, I));
    return `every ${intervalSeconds / 3600} h from ${pad(first.getUTCHours())}:${pad(first.getUTCMinutes())}:${pad(first.getUTCSeconds())}.${pad(first.getUTCMilliseconds(), 3)} UTC`;
  }
  return `every ${intervalSeconds} s (phase ${phase.toLocaleString('en-US')} ms)`;
}

/** UTC time to the millisecond with its date: `2024-05-01 08:33:22.045 UTC`. */
export function formatUtcMs(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}
