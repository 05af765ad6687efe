/** A labelled form field with its error message beside it (linked via aria-describedby). */
import { createUniqueId, Show, type JSX } from 'solid-js';

/** Props of {@link Field}. */
export interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: string;
  /** Renders the control; wire `id`, `aria-describedby` and `aria-invalid` from the arguments. */
  children: (control: { id: string; describedBy: string | undefined; invalid: boolean }) => JSX.Element;
  class?: string;
}

/** Label + control + hint + error. */
export function Field(props: FieldProps) {
  const id = createUniqueId();
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const describedBy = () => [props.error ? errId : '', props.hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${props.class ?? ''}`} classList={{ invalid: !!props.error }}>
      <label for={id}>{props.label}</label>
      {props.children({
        id,
        get describedBy() {
          return describedBy();
        },
        get invalid() {
          return !!props.error;
        },
      })}
      <Show when={props.hint}>
        <span id={hintId} class="hint">
          {props.hint}
        </span>
      </Show>
      <Show when={props.error}>
        <span id={errId} class="field-error" data-field-error>
          {props.error}
        </span>
      </Show>
    </div>
  );
}
