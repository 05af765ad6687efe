/** Page for unknown routes. */
import { A } from '@solidjs/router';

/** "Page not found" with a link back to the dashboard. */
export function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p><A href="/">Back to targets</A></p>
    </section>
  );
}
