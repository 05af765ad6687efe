/**
 * The live dashboard's connection (issue 12 §4): fetch the compact snapshot, then follow
 * GET /api/events/stream from its cursor. The browser's EventSource reconnects by itself with
 * Last-Event-ID; on `resync` (a gap, the target list changed, this client fell behind), or
 * when the stream is refused (e.g. the session ended, or 503: all stream slots taken), a fresh
 * snapshot is fetched and the stream reopened, after 2 s, then ever longer while it stays refused. Runs for the calling component's lifetime.
 */
import { onCleanup } from 'solid-js';
import { LIVE_EVENTS, type LiveDelta, type LiveSnapshot } from '../../../src/domain/live-frame.ts';
import { api, query } from '../api.ts';
import { BASE } from './base.ts';
import { requestStarted } from './connection.ts';

/** Wait before fetching a snapshot again after a failure, ms. */
export const RETRY_MS = 2000;
/**
 * Longest wait after refused streams in a row, ms: a server with all its stream slots taken
 * (503, NETWATCH_MAX_EVENT_STREAMS) is asked again ever less often, doubling from {@link RETRY_MS}.
 */
export const MAX_RETRY_MS = 30_000;

/** What the dashboard is told. */
export interface LiveHandlers {
  /** A fresh snapshot (first load, after resync); replaces every row. */
  snapshot(s: LiveSnapshot): void;
  /** One delta to apply. */
  delta(d: LiveDelta): void;
  /** The snapshot could not be fetched (it is retried). */
  error(e: unknown): void;
}

/**
 * Follows the live stream for `location()` (read at each (re)connect; '' = every location).
 * @returns a function that fetches a fresh snapshot and reconnects now (after an edit, a new filter)
 */
export function useLiveTargets(location: () => string, on: LiveHandlers): () => void {
  let es: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let generation = 0;
  /** Streams refused in a row (reset once one opens). */
  let refused = 0;

  const close = () => {
    es?.close();
    es = null;
    clearTimeout(retry);
  };

  const connect = async (): Promise<void> => {
    close();
    const mine = ++generation;
    const loc = location() || undefined;
    let snap: LiveSnapshot;
    try {
      snap = await api.liveSnapshot(loc);
    } catch (e) {
      if (mine !== generation || stopped) return;
      on.error(e);
      retry = setTimeout(() => void connect(), RETRY_MS);
      return;
    }
    if (mine !== generation || stopped) return;
    on.snapshot(snap);
    const source = new EventSource(`${BASE}/api/events/stream${query({ location: loc, after: snap.cursor })}`, { withCredentials: true });
    es = source;
    let done: ((answered: boolean) => void) | null = requestStarted();
    source.onopen = () => {
      refused = 0;
      done?.(true);
      done = null;
    };
    source.addEventListener(LIVE_EVENTS.delta, (e) => on.delta(JSON.parse((e as MessageEvent<string>).data) as LiveDelta));
    source.addEventListener(LIVE_EVENTS.resync, () => void connect());
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED && es === source) {
        // refused (not an event stream, e.g. 401 or 5xx): start over from a snapshot after a pause
        done?.(false);
        done = null;
        es = null;
        retry = setTimeout(() => void connect(), Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** refused++));
      }
      // CONNECTING: the browser reconnects by itself with Last-Event-ID
    };
  };

  void connect();
  onCleanup(() => {
    stopped = true;
    close();
  });
  return () => void connect();
}
