/**
 * Schedule lag (actual probe start − scheduled slot, ms) over the last minute, kept as one
 * histogram per second (1 ms bins up to 10 s) so recording is O(1) and a summary is O(bins).
 */

const SECONDS = 60;
const BINS = 10_001;

import type { LagSummary } from '../domain/types.js';
export type { LagSummary };

/** Rolling record of schedule lag. */
export class LagStats {
  private readonly hist = Array.from({ length: SECONDS }, () => new Uint32Array(BINS));
  private readonly second = new Float64Array(SECONDS).fill(-1);
  private readonly maxes = new Float64Array(SECONDS);

  /** @param onRecord told every recorded lag, ms (the metrics histogram), when given */
  constructor(private readonly onRecord?: (lagMs: number) => void) {}

  /** Records one probe's lag. @param lagMs ≥ 0 (negative is clamped); @param now UTC epoch ms */
  record(lagMs: number, now: number): void {
    const sec = Math.floor(now / 1000);
    const i = sec % SECONDS;
    if (this.second[i] !== sec) {
      this.hist[i]!.fill(0);
      this.maxes[i] = 0;
      this.second[i] = sec;
    }
    const lag = Math.max(0, lagMs);
    this.onRecord?.(lag);
    this.hist[i]![Math.min(BINS - 1, Math.floor(lag))]! += 1;
    if (lag > this.maxes[i]!) this.maxes[i] = lag;
  }

  /** Summarises the 60 s before `now` (UTC epoch ms). */
  summary(now: number): LagSummary {
    const sec = Math.floor(now / 1000);
    const merged = new Float64Array(BINS);
    let count = 0;
    let max = 0;
    for (let i = 0; i < SECONDS; i++) {
      const s = this.second[i]!;
      if (s < 0 || s <= sec - SECONDS || s > sec) continue;
      const h = this.hist[i]!;
      for (let b = 0; b < BINS; b++) {
        if (h[b]) {
          merged[b]! += h[b]!;
          count += h[b]!;
        }
      }
      max = Math.max(max, this.maxes[i]!);
    }
    if (count === 0) return { count, p50: null, p99: null, max: null, onTime: null };
    const quantile = (q: number) => {
      const want = Math.ceil(q * count);
      let seen = 0;
      for (let b = 0; b < BINS; b++) {
        seen += merged[b]!;
        if (seen >= want) return b;
      }
      return BINS - 1;
    };
    let early = 0;
    for (let b = 0; b < 50; b++) early += merged[b]!;
    return { count, p50: quantile(0.5), p99: quantile(0.99), max: Math.round(max * 1000) / 1000, onTime: early / count };
  }
}
