/**
 * A turn of the event loop for long metric work (issue 9 soak: a scrape must not delay probes).
 * `setImmediate` runs in the next loop iteration's check phase, so timers that came due meanwhile
 * (the probe schedule) fire first; a resolved promise alone would not let them.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
