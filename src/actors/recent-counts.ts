/**
 * Counts of named events over the last minute (e.g. local errors by errno), kept as one small map
 * per second in a ring, so recording is O(1) and a summary touches at most 60 maps.
 */

const SECONDS = 60;

/** Rolling per-key counts over a 60 s window. Times are UTC epoch ms. */
export class RecentCounts {
  private readonly second = new Float64Array(SECONDS).fill(-1);
  private readonly maps = Array.from({ length: SECONDS }, () => new Map<string, number>());
  /** Last time anything was recorded, UTC epoch ms; null before the first. */
  lastAt: number | null = null;
  /** Counts since the process started, per key (never reset). */
  readonly total = new Map<string, number>();

  /** Adds `n` (default 1) events of `key` at `now`. */
  add(key: string, now: number, n = 1): void {
    const sec = Math.floor(now / 1000);
    const i = ((sec % SECONDS) + SECONDS) % SECONDS;
    if (this.second[i] !== sec) {
      this.maps[i]!.clear();
      this.second[i] = sec;
    }
    const m = this.maps[i]!;
    m.set(key, (m.get(key) ?? 0) + n);
    this.total.set(key, (this.total.get(key) ?? 0) + n);
    this.lastAt = now;
  }

  /** Counts per key over the 60 s before `now` (keys with none are absent). */
  counts(now: number): Record<string, number> {
    const sec = Math.floor(now / 1000);
    const out: Record<string, number> = {};
    for (let i = 0; i < SECONDS; i++) {
      const s = this.second[i]!;
      if (s < 0 || s <= sec - SECONDS || s > sec) continue;
      for (const [k, n] of this.maps[i]!) out[k] = (out[k] ?? 0) + n;
    }
    return out;
  }
}
