/**
 * Streams a large JSON object of columns (issue 13 §2): scalar fields first, then each array in
 * slices, so a 100,000-row answer is never one huge string in memory and the first bytes leave
 * before the last are encoded. The body is exactly `JSON.stringify(obj)` (RFC 8259).
 */
import type { Context } from 'hono';
import { stream } from 'hono/streaming';

/** Values per written slice. */
const SLICE = 5000;

/**
 * Answers `c` with `obj` as a streamed `application/json` body: array fields are written
 * {@link SLICE} values at a time, everything else with JSON.stringify.
 */
export function streamJson(c: Context, obj: Record<string, unknown>): Response {
  c.header('Content-Type', 'application/json; charset=UTF-8');
  return stream(c, async (s) => {
    let first = true;
    for (const [key, value] of Object.entries(obj)) {
      const lead = `${first ? '{' : ','}${JSON.stringify(key)}:`;
      first = false;
      if (!Array.isArray(value)) {
        await s.write(lead + JSON.stringify(value ?? null));
        continue;
      }
      await s.write(`${lead}[`);
      for (let i = 0; i < value.length; i += SLICE) {
        const part = JSON.stringify(value.slice(i, i + SLICE));
        await s.write((i > 0 ? ',' : '') + part.slice(1, -1));
      }
      await s.write(']');
    }
    await s.write(first ? '{}' : '}');
  });
}
