/** Polling helper for components: runs a task now and again `ms` after each run finishes. */
import { onCleanup } from 'solid-js';

/**
 * Starts polling for the lifetime of the calling component (stopped on cleanup).
 * Runs never overlap. `ms` may be a function, read after each run (poll faster while offline).
 * Returns a function that triggers a run now (e.g. after an edit).
 */
export function usePolling(task: () => Promise<void>, ms: number | (() => number)): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = true;
    try {
      await task();
    } catch {
      // the task reports its own errors; keep polling
    } finally {
      running = false;
      if (!stopped) {
        if (again) {
          again = false;
          void run();
        } else timer = setTimeout(() => void run(), typeof ms === 'number' ? ms : ms());
      }
    }
  };
  void run();
  onCleanup(() => {
    stopped = true;
    clearTimeout(timer);
  });
  return () => void run();
}

/** A clock signal source: calls `tick` every `ms` for the component's lifetime. */
export function useInterval(tick: () => void, ms: number): void {
  const id = setInterval(tick, ms);
  onCleanup(() => clearInterval(id));
}
