/**
 * The one place the live dashboard reads the latest-result map from (issue 12 §4, adapter): today
 * the writer's `ResultBuffer.latest`. When the map gets its own owner (issue 12, code health),
 * only this file changes.
 */
import type { ProbeResult } from '../domain/types.js';
import type { AppDeps } from '../http/deps.js';

/** Read access to each target's newest result (this node's). */
export interface LatestResults {
  /** The newest result of a target, or undefined when none is known. */
  get(targetId: number): ProbeResult | undefined;
  /** Calls `fn` for every target with a known result. */
  forEach(fn: (r: ProbeResult, targetId: number) => void): void;
  /** Records results read from the store for targets with none in memory yet (cold start). */
  seed(results: ReadonlyMap<number, ProbeResult>): void;
}

/**
 * The latest results of the running actors, looked up at each call (the server starts the actors
 * after the app is built); empty while none run (API-only tests).
 */
export function latestResultsOf(deps: Pick<AppDeps, 'actors'>): LatestResults {
  const map = () => deps.actors?.writer.buffer.latest;
  return {
    get: (id) => map()?.get(id),
    forEach: (fn) => map()?.forEach(fn),
    seed: (results) => {
      const m = map();
      if (m) for (const [id, r] of results) if (!m.has(id)) m.set(id, r);
    },
  };
}
