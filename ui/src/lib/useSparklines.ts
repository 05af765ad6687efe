/**
 * Sparklines for the rows on screen (the dashboard's "Last hour" column): loaded when the set of
 * rendered rows changes (debounced 150 ms while scrolling) and every 30 s. Sparklines are
 * decoration: a failed load keeps the previous lines and the table works without them.
 */
import { createEffect, createMemo, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { api } from '../api.ts';
import { useInterval } from './poll.ts';

/** Reload period, ms. */
const SPARK_MS = 30_000;
/** Wait after the rendered rows change before loading, ms (scrolling changes them every frame). */
const DEBOUNCE_MS = 150;

/**
 * @param ids the target ids on screen
 * @returns success-ratio points per target id (as a string), 60 one-minute buckets, null = no data
 */
export function useSparklines(ids: Accessor<number[]>): Accessor<Record<string, (number | null)[]>> {
  const [sparks, setSparks] = createSignal<Record<string, (number | null)[]>>({});
  const key = createMemo(() => ids().join(','));
  const load = async (k: string) => {
    if (!k) return;
    try {
      const res = await api.sparklines(k.split(',').map(Number), 60);
      setSparks((s) => ({ ...s, ...res.series }));
    } catch {
      // decoration only: keep the previous lines
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(key, (k) => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(k), DEBOUNCE_MS);
    }),
  );
  onCleanup(() => clearTimeout(timer));
  useInterval(() => void load(key()), SPARK_MS);
  return sparks;
}
