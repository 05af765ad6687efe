/**
 * Safe reads of Solid resources. Reading a resource whose fetch failed throws its error
 * (solid-js `createResource`), and a throw while rendering is an uncaught page error that leaves
 * the page half drawn; pages show `resource.error` themselves and read the value through {@link loaded}.
 */
import type { Resource } from 'solid-js';

/** The resource's value; undefined while it loads and after its fetch failed (never throws). */
export function loaded<T>(r: Resource<T>): T | undefined {
  return r.error ? undefined : r();
}
