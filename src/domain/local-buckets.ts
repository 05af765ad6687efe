/**
 * History buckets on a viewer's local clock (issue 7 part 6). Buckets start where the local wall
 * clock of an IANA time zone shows a whole multiple of the step, counted from local midnight of
 * 1970-01-01: day buckets start at local midnight, hour buckets at local whole hours (so at :30
 * UTC in Asia/Kolkata, :15 in Asia/Kathmandu), and a bucket spans what the local clock spans:
 * a day is 23 or 25 hours long at a DST change, the repeated hour of an autumn change is two
 * hour buckets, and when a spring change skips a bucket start, the bucket starts at the change.
 * In UTC this is exactly the epoch alignment of history-steps.ts. Zone rules come from the
 * runtime's tz database through Intl (ECMA-402), never from a table of our own. Pure; browser-safe.
 */
import type { BucketWindow } from './history-steps.js';

/** A stretch of time over which a zone's UTC offset does not change. Times UTC epoch ms. */
export interface ZoneSegment {
  from: number;
  to: number;
  /** Local time − UTC, ms (e.g. +19 800 000 for UTC+5:30). */
  offsetMs: number;
}

/** A history window on local boundaries: {@link BucketWindow} plus every bucket start and the zone's offsets. */
export interface LocalBucketWindow extends BucketWindow {
  /** IANA name of the zone ({@link canonicalZone}). */
  zone: string;
  /** Start of each bucket, UTC epoch ms, ascending; bucket i ends where i + 1 starts (the last at `to`). */
  starts: number[];
  /** The zone's offsets over [from, to), in order. */
  segments: ZoneSegment[];
}

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/**
 * The name of an IANA time zone as NetWatch uses it, or null when the runtime does not know it.
 * A name is kept as given (`Asia/Kolkata` stays so, though ICU calls it `Asia/Calcutta`) except
 * that its case is corrected when it differs only in case (`europe/london` → `Europe/London`).
 * Offsets such as `+05:30` are not zone names and give null.
 */
export function canonicalZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return null;
  }
}

/** The zone's offset (local − UTC, ms, whole seconds) at UTC epoch ms `t`. @throws RangeError for an unknown zone */
export function offsetAt(zone: string, t: number): number {
  if (zone === 'UTC') return 0;
  const p: Record<string, number> = {};
  for (const part of formatFor(zone).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const second = Math.floor(t / 1000) * 1000;
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - second;
}

/**
 * The zone's offsets over [from, to): offsets are read once a day and each change is found to
 * the millisecond by bisection (zones change offset at most a few times a year).
 */
export function zoneSegments(zone: string, from: number, to: number): ZoneSegment[] {
  const out: ZoneSegment[] = [];
  let start = from;
  let offset = offsetAt(zone, from);
  for (let t = from; t < to;) {
    const next = Math.min(t + DAY_MS, to);
    const o = offsetAt(zone, next);
    if (o !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      out.push({ from: start, to: hi, offsetMs: offset });
      start = hi;
      offset = offsetAt(zone, hi);
    }
    t = next;
  }
  out.push({ from: start, to, offsetMs: offset });
  return out;
}

const ceilTo = (x: number, step: number) => Math.ceil(x / step) * step;

/**
 * Widens [from, to) outward to whole local buckets of `stepSeconds` in `zone`.
 * @param from inclusive start, UTC epoch ms; @param to exclusive end, UTC epoch ms (> from)
 * @param zone a zone name as {@link canonicalZone} returns it
 */
export function localWindow(from: number, to: number, stepSeconds: number, zone: string): LocalBucketWindow {
  const stepMs = stepSeconds * 1000;
  const segments = zoneSegments(zone, from - stepMs - DAY_MS, to + stepMs + DAY_MS);
  // A bucket is at most one step plus the largest offset change long, so starts in [lo, hi)
  // include the last one at or before `from` and the first one at or after `to`.
  let jump = 0;
  for (let i = 1; i < segments.length; i++) jump = Math.max(jump, Math.abs(segments[i]!.offsetMs - segments[i - 1]!.offsetMs));
  const lo = from - stepMs - jump - 1000;
  const hi = to + stepMs + jump + 1000;
  const all: number[] = [];
  segments.forEach((s, i) => {
    if (s.to <= lo || s.from >= hi) return;
    const before = i > 0 ? segments[i - 1]!.offsetMs : s.offsetMs;
    // a forward change that skips a local bucket start makes the change itself a bucket start
    if (s.offsetMs > before && ceilTo(s.from + before, stepMs) < s.from + s.offsetMs) all.push(s.from);
    for (let t = ceilTo(Math.max(s.from, lo) + s.offsetMs, stepMs) - s.offsetMs; t < s.to && t < hi; t += stepMs) {
      if (all.length === 0 || t > all[all.length - 1]!) all.push(t);
    }
  });
  let first = 0;
  while (first + 1 < all.length && all[first + 1]! <= from) first++;
  let end = first;
  while (end < all.length && all[end]! < to) end++;
  const starts = all.slice(first, end);
  const windowTo = all[end]!;
  return {
    from: starts[0]!,
    to: windowTo,
    stepSeconds,
    count: starts.length,
    zone,
    starts,
    segments: segments.filter((s) => s.to > starts[0]! && s.from < windowTo),
  };
}

/** Index of the bucket holding `t` (the last start ≤ t), or -1 before the first. */
export function bucketIndex(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0 || t < starts[0]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
