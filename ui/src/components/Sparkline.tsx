/**
 * Tiny inline SVG of a success ratio series (oldest → newest, values 0..1 or null).
 * Nulls are gaps; a minute below 100 % gets a red dot so short failures stand out.
 */
import { createMemo, For, Show } from 'solid-js';

const W = 120;
const H = 22;

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  values: readonly (number | null)[] | undefined;
  label: string;
}

/** Path `d` of the series, with gaps at nulls; isolated values become short ticks. */
export function sparkPath(values: readonly (number | null)[], width = W, height = H): string {
  const n = values.length;
  if (n === 0) return '';
  const dx = n > 1 ? width / (n - 1) : 0;
  const y = (v: number) => (1 - v) * (height - 4) + 2;
  let d = '';
  let open = false;
  values.forEach((v, i) => {
    if (v == null) {
      open = false;
      return;
    }
    const x = (i * dx).toFixed(1);
    if (!open) {
      d += `M${x} ${y(v).toFixed(1)}h0.01`;
      open = true;
    } else d += `L${x} ${y(v).toFixed(1)}`;
  });
  return d;
}

/** The sparkline; renders an empty frame while values load. */
export function Sparkline(props: SparklineProps) {
  const path = createMemo(() => sparkPath(props.values ?? []));
  const failures = createMemo(() => {
    const v = props.values ?? [];
    const dx = v.length > 1 ? W / (v.length - 1) : 0;
    return v.flatMap((r, i) => (r != null && r < 1 ? [{ x: i * dx, y: (1 - r) * (H - 4) + 2 }] : []));
  });
  return (
    <svg class="spark" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label} data-points={props.values?.filter((v) => v != null).length ?? 0}>
      <line x1="0" x2={W} y1="2" y2="2" class="spark-top" />
      <Show when={props.values}>
        <path d={path()} class="spark-line" />
        <For each={failures()}>{(p) => <circle cx={p.x} cy={p.y} r="1.6" class="spark-fail" />}</For>
      </Show>
    </svg>
  );
}
