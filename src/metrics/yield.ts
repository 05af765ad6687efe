/**
 * Turns of the event loop for long metric work (issue 9 soak: a scrape must not delay probes).
 * `setImmediate` runs in the next loop iteration's check phase, so timers that came due meanwhile
 * (the probe schedule) fire first; a resolved promise alone would not let them.
 */

/** Work done between two turns, ms: short enough for probe timers, few enough turns that a scrape of a busy process stays quick. */
export const BUDGET_MS = 8;

/** One turn of the event loop. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Paces one long job: {@link Pacer.pace} yields a turn of the event loop once {@link BUDGET_MS}
 * of wall time went by since the last turn, and returns at once otherwise. Yielding after every
 * small piece instead made a scrape of a CPU-starved process take 15 s (each turn waits for a
 * whole loop iteration of its backlog), past Prometheus' default 10 s scrape timeout.
 */
export class Pacer {
  private since = performance.now();

  /** Yields when the budget is spent. */
  async pace(): Promise<void> {
    if (performance.now() - this.since < BUDGET_MS) return;
    await yieldToLoop();
    this.since = performance.now();
  }
}
