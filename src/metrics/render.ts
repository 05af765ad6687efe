/**
 * Renders a prom-client registry as Prometheus text format 0.0.4 without holding the event loop
 * (issue 9 soak: `registry.metrics()` formatted ~22,000 per-target series in one go at 2,000
 * targets and delayed probe timers by 100–490 ms).
 *
 * The text is prom-client's own: the same families in the same order, each line formatted by the
 * registry's own renderer, byte for byte what `registry.metrics()` returns (tests/metrics-render.test.ts
 * checks that). What differs is only when the work happens: one family at a time, and a large family
 * (the per-target ones: 8 series per target in `netwatch_target_probes_total`) a slice of
 * {@link SLICE} series at a time, with a turn of the event loop whenever a few ms of work went by
 * (yield.ts). prom-client has no public
 * call that renders part of a family, so the slices go through the registry's `getMetricsAsString`
 * (what `registry.metrics()` calls for each family; present since prom-client 13, not in its type
 * declarations), given the family's values a slice at a time; the `# HELP`/`# TYPE` header is kept
 * from the first slice only.
 */
import type { Registry } from 'prom-client';
import type { Pacer } from './yield.js';

/** Series formatted per turn of the event loop (≈ 1–3 ms on this 2-core machine). */
export const SLICE = 500;

interface FamilyData {
  name: string;
  help: string;
  type: string;
  values: unknown[];
  aggregator?: unknown;
}
/** The part of prom-client's Registry used here; `getMetricsAsString` is untyped upstream. */
interface RegistryRenderer {
  getMetricsAsString(metric: { get(): Promise<FamilyData> }): Promise<string>;
}

/**
 * The text of every family of `registry` (Prometheus format; an OpenMetrics registry is not
 * supported here and throws), yielding to the event loop between slices whenever `pacer` says so.
 * @throws Error when the registry is set to OpenMetrics; whatever a metric's `collect` throws
 */
export async function renderRegistry(registry: Registry, pacer: Pacer): Promise<string> {
  if (!registry.contentType.startsWith('text/plain')) throw new Error('renderRegistry: only the Prometheus text format is supported');
  const renderer = registry as unknown as RegistryRenderer;
  const parts: string[] = [];
  for (const metric of registry.getMetricsAsArray()) {
    // as the registry does: a histogram's values for the text format come from getForPromString
    const m = metric as unknown as { get(): Promise<FamilyData>; getForPromString?(): Promise<FamilyData> };
    const data = await (m.getForPromString ? m.getForPromString() : m.get());
    const values = data.values;
    let family = '';
    for (let i = 0; i === 0 || i < values.length; i += SLICE) {
      const text = await renderer.getMetricsAsString({ get: async () => ({ ...data, values: values.slice(i, i + SLICE) }) });
      // each slice comes with the family's two header lines; only the first keeps them
      family += i === 0 ? text : text.slice(text.indexOf('\n', text.indexOf('\n') + 1));
      await pacer.pace();
    }
    parts.push(family);
  }
  return `${parts.join('\n\n')}\n`;
}
