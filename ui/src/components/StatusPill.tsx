/** Coloured pill showing a target's status: up, down (outcome), disabled, no data yet. */
import type { StatusKind } from '../lib/targetTable.ts';

/** A status pill; `kind` picks the colour, `label` is the text. */
export function StatusPill(props: { kind: StatusKind; label: string }) {
  return (
    <span class={`pill pill-${props.kind}`} data-status={props.kind}>
      {props.label}
    </span>
  );
}
