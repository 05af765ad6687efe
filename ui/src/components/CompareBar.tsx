/** The dashboard's "Compare" link (issue 13 §3): opens /compare with the ticked targets (up to 20) in the URL. */
import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { compareSelection, MAX_COMPARE } from '../lib/compareSelection.ts';

/** "Compare (n)" for the ticked targets, with a hint while none is ticked. */
export function CompareBar() {
  const n = () => compareSelection().length;
  return (
    <span class="compare-bar">
      <Show when={n() > 0} fallback={<span class="muted small">Tick targets to compare them</span>}>
        <A class="btn" href={`/compare?ids=${compareSelection().join(',')}&range=24h`} data-testid="compare-link">
          Compare ({n()}
          {n() >= MAX_COMPARE ? ', the most' : ''})
        </A>
      </Show>
    </span>
  );
}
