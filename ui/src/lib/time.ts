/**
 * Time formatting in the browser's time zone. Absolute times carry their UTC offset
 * (e.g. `2024-05-01 14:03:22 UTC+02:00`) so screenshots and reports are unambiguous.
 */

/**
 * The browser's IANA time zone (e.g. `Europe/London`), which history requests send as `tz` so day
 * and hour buckets start at local midnight and local hours; `UTC` when the browser names none.
 */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const pad = (n: number, w = 2): string => String(Math.trunc(Math.abs(n))).padStart(w, '0');

/** The UTC offset of `ms` in the local zone, as `UTC+02:00` / `UTC-05:30` / `UTC+00:00`. */
export function utcOffset(ms: number): string {
  const minutes = -new Date(ms).getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  return `UTC${sign}${pad(Math.abs(minutes) / 60)}:${pad(Math.abs(minutes) % 60)}`;
}

/** Local date and time to the second: `2024-05-01 14:03:22`. */
export function formatLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local time of day, 24-hour, to the second: `14:03:22`. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local date and time with its UTC offset: `2024-05-01 14:03:22 UTC+02:00`. */
export function formatLocalWithOffset(ms: number): string {
  return `${formatLocal(ms)} ${utcOffset(ms)}`;
}

/** Local date and time to the millisecond: `2024-05-01 14:03:22.045`. */
export function formatLocalMs(ms: number): string {
  return `${formatLocal(ms)}.${pad(new Date(ms).getMilliseconds(), 3)}`;
}

/** How long ago `ms` was, relative to `now`: `just now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatRelative(ms: number, now: number): string {
  const s = Math.round((now - ms) / 1000);
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A duration in ms as a short human string: `45 s`, `3 min 20 s`, `2 h 5 min`, `1 d 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** A step in seconds as a group-by label: `10s`, `1m`, `30m`, `1h`, `1d`. */
export function formatStep(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Epoch ms as the value of an `<input type="datetime-local">` (local time, to the second). */
export function toDatetimeLocal(ms: number): string {
  return formatLocal(ms).replace(' ', 'T');
}

/** Parses an `<input type="datetime-local">` value (local time) to epoch ms; null if empty or invalid. */
export function fromDatetimeLocal(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((frac ?? '0').padEnd(3, '0')));
  return Number.isNaN(date.getTime()) ? null : date.getTime();
}

/**
 * Parses a local date and time typed as `YYYY-MM-DD HH:MM[:SS]` (24-hour, the format the page
 * shows; a `T` separator is taken too) to UTC epoch ms; null when malformed or not a real date
 * (2026-02-30, 24:00). A time the local clock skips at a DST change is moved as Date does.
 */
export function parseLocal(value: string): number | null {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s*$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s);
  const real = date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d && h < 24 && mi < 60 && s < 60;
  return real ? date.getTime() : null;
}

/** Milliseconds as a connect time: `0.42 ms`, `12.3 ms`, `1,204 ms`; `—` for null. */
export function formatConnectMs(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** A ratio 0..1 as a percentage with up to 2 decimals (`99.95 %`); `—` for null. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio == null) return '—';
  const pct = ratio * 100;
  if (pct === 100 || pct === 0) return `${pct} %`;
  return `${pct.toFixed(2)} %`;
}
