/**
 * The one place the live dashboard reads the latest-result map from (issue 12 §4): the actors'
 * {@link LatestResults} (actors/latest-results.ts, the map's one owner), looked up at each call
 * because the server starts the actors after the app is built; empty while none run (API-only tests).
 */
import type { LatestResults } from '../actors/latest-results.js';
import type { ProbeResult } from '../domain/types.js';
import type { AppDeps } from '../http/deps.js';
import type { Db } from '../store/db.js';

/** What the live dashboard reads of the map. */
export interface LatestView {
  /** True while a map exists (actors run). */
  present(): boolean;
  /** The newest result of a target, or undefined when none is known. */
  get(targetId: number): ProbeResult | undefined;
  /** Calls `fn` for every target with a known result. */
  forEach(fn: (r: ProbeResult, targetId: number) => void): void;
  /** Records a result another node stored (live/peer-results.ts); an older one than held is ignored. */
  record(r: ProbeResult): void;
  /** Cold start: reads the stored newest result of targets with none in memory (once per target and process). @throws store errors */
  seed(db: Db, targetIds: readonly number[]): Promise<void>;
}

/** The latest-result map of `deps.actors`, as a {@link LatestView}. */
export function latestResultsOf(deps: Pick<AppDeps, 'actors'>): LatestView {
  const map = (): LatestResults | undefined => deps.actors?.latest;
  return {
    present: () => map() !== undefined,
    get: (id) => map()?.get(id),
    forEach: (fn) => map()?.snapshot().forEach(fn),
    record: (r) => map()?.record(r),
    seed: async (db, ids) => map()?.seed(db, ids),
  };
}
