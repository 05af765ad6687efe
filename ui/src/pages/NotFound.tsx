/** Page for unknown routes. */
import { A } from '@solidjs/router';
import { usePage } from '../lib/focus.ts';

/** "Page not found" with a link back to the dashboard. */
export function NotFound() {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Page not found',
    () => heading,
  );
  return (
    <section>
      <h1 ref={heading} tabindex="-1">
        Page not found
      </h1>
      <p>
        <A href="/">Back to targets</A>
      </p>
    </section>
  );
}
