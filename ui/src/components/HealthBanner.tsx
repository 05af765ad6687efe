/**
 * A banner on every page while NetWatch itself is degraded (GET /api/health answers 503): results
 * not being stored, the database refusing connections. It names each reason the server gives and
 * clears when health returns (issue "Run for months unattended" §3: the dashboard must not look
 * all green while nothing is stored). Polled every 5 s; a server that cannot be reached says so too.
 */
import { createSignal, For, Show } from 'solid-js';
import { api } from '../api.ts';
import { usePolling } from '../lib/poll.ts';

/** How often health is asked, ms. */
const EVERY_MS = 5_000;

/** The banner; renders nothing while health is ok. */
export function HealthBanner() {
  const [reasons, setReasons] = createSignal<string[]>([]);
  usePolling(async () => {
    try {
      const h = await api.health();
      setReasons(h.status === 'ok' ? [] : h.reasons.length ? h.reasons : ['NetWatch reports a problem of its own.']);
    } catch (e) {
      setReasons([`NetWatch is not answering: ${e instanceof Error ? e.message : String(e)}`]);
    }
  }, EVERY_MS);
  return (
    <Show when={reasons().length > 0}>
      <div class="health-banner" role="alert" data-testid="health-banner">
        <strong>NetWatch is degraded — what you see may be out of date.</strong>
        <ul>
          <For each={reasons()}>{(r) => <li>{r}</li>}</For>
        </ul>
      </div>
    </Show>
  );
}
