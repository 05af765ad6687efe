/**
 * A modal dialog on the native `<dialog>` element (focus trap, Esc to close, inert background).
 * Children are rendered only while open, so forms start fresh each time.
 */
import { createEffect, createUniqueId, onCleanup, Show, type JSX } from 'solid-js';

/** Props of {@link Modal}. */
export interface ModalProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: JSX.Element;
  /** Extra class on the dialog, e.g. `modal-wide`. */
  class?: string;
}

/** A titled modal dialog; Esc and the browser's cancel call `onClose`. */
export function Modal(props: ModalProps) {
  let ref!: HTMLDialogElement;
  const titleId = createUniqueId();
  createEffect(() => {
    if (props.open && !ref.open) ref.showModal();
    else if (!props.open && ref.open) ref.close();
  });
  onCleanup(() => ref?.open && ref.close());
  return (
    <dialog
      ref={ref}
      class={`modal ${props.class ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <Show when={props.open}>
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </Show>
    </dialog>
  );
}
