/**
 * Whether what the UI shows is live (issue 16 §2): the one owner of "when did the server last
 * answer" and "is it answering now". Every API call reports here (api.ts); the banner and the
 * dimmed state pills read it. Times are UTC epoch ms.
 */
import { createSignal } from 'solid-js';

/** A request still unanswered after this long, ms, means the server is slow: data on screen is stale. */
export const SLOW_MS = 4_000;

const [lastAnswerAt, setLastAnswerAt] = createSignal<number | null>(null);
const [lost, setLost] = createSignal(false);
const [now, setNow] = createSignal(Date.now());
const pending = new Map<number, number>();
let nextId = 0;

/**
 * When the server last answered (any HTTP answer of NetWatch's), or null before the first; and
 * whether the last request got no answer at all (network error, timeout, a proxy's 502/504).
 */
export { lastAnswerAt, lost };

/** Notes a request going out; @returns the function to call with how it ended. */
export function requestStarted(): (answered: boolean) => void {
  const id = nextId++;
  pending.set(id, Date.now());
  return (answered) => {
    pending.delete(id);
    if (answered) {
      setLastAnswerAt(Date.now());
      setLost(false);
    } else setLost(true);
  };
}

setInterval(() => setNow(Date.now()), 1000);

/**
 * True while what is on screen may be out of date: the last request failed to reach the server
 * (network error, timeout, a proxy's 502/504), or one has waited over {@link SLOW_MS}.
 */
export function stale(): boolean {
  if (lost()) return true;
  const t = now();
  for (const since of pending.values()) if (t - since > SLOW_MS) return true;
  return false;
}
