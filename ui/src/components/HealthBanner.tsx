/**
 * The banner on every page that says when what you see may not be true:
 * - stale data (issue 16 §2): the server cannot be reached or has not answered for a while
 *   (lib/connection.ts): "Last updated HH:MM:SS — reconnecting…", and the state pills are dimmed
 *   (the `stale` class on <html>); it clears as soon as the server answers again;
 * - NetWatch degraded (GET /api/health answers 503; issue "Run for months unattended" §3): results
 *   not being stored, the database refusing connections, NetWatch stalled; it names each reason the
 *   server gives and clears when health returns.
 * Health is asked every 5 s, every 2 s while the server is not answering.
 */
import { createEffect, createSignal, For, Show } from 'solid-js';
import { ApiError, api } from '../api.ts';
import { lastAnswerAt, lost, stale } from '../lib/connection.ts';
import { usePolling } from '../lib/poll.ts';
import { formatClock } from '../lib/time.ts';

/** How often health is asked, ms (and while the server is not answering). */
const EVERY_MS = 5_000;
const RETRY_MS = 2_000;

/** The banner; renders nothing while health is ok and the server answers. */
export function HealthBanner() {
  const [reasons, setReasons] = createSignal<string[]>([]);
  usePolling(
    async () => {
      try {
        const h = await api.health();
        setReasons(h.status === 'ok' ? [] : h.reasons.length ? h.reasons : ['NetWatch reports a problem of its own.']);
      } catch (e) {
        // no answer at all is the stale-data banner's to say; an error answer is said here
        setReasons(e instanceof ApiError && e.status === 0 ? [] : [`NetWatch's health check failed: ${e instanceof Error ? e.message : String(e)}`]);
      }
    },
    () => (stale() ? RETRY_MS : EVERY_MS),
  );
  createEffect(() => document.documentElement.classList.toggle('stale', stale()));
  return (
    <>
      <Show when={stale()}>
        <div class="stale-banner" role="alert" data-testid="stale-banner">
          <strong>
            {lastAnswerAt() !== null ? `Last updated ${formatClock(lastAnswerAt()!)} — reconnecting…` : lost() ? 'Cannot reach NetWatch — reconnecting…' : 'Waiting for NetWatch to answer…'}
          </strong>{' '}
          <span>What you see may be out of date.</span>
        </div>
      </Show>
      <Show when={reasons().length > 0}>
        <div class="health-banner" role="alert" data-testid="health-banner">
          <strong>NetWatch is degraded — what you see may be out of date.</strong>
          <ul>
            <For each={reasons()}>{(r) => <li>{r}</li>}</For>
          </ul>
        </div>
      </Show>
    </>
  );
}
