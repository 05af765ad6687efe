/** A yes/no confirmation in a modal, e.g. before deleting something. */
import { createSignal, Show, type JSX } from 'solid-js';
import { Modal } from './Modal.tsx';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** The question; name the thing affected (rendered as text). */
  message: JSX.Element;
  confirmLabel?: string;
  /** Runs on confirm; a rejected promise shows its message and keeps the dialog open. */
  onConfirm: () => Promise<void> | void;
  onCancel: () => void;
}

/** Confirmation dialog with a danger button; Cancel has the initial focus. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      await props.onConfirm();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={props.open} title={props.title} onClose={props.onCancel}>
      <div class="confirm">
        <p class="confirm-message">{props.message}</p>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <div class="actions">
          <button type="button" class="btn" autofocus onClick={() => props.onCancel()}>
            Cancel
          </button>
          <button type="button" class="btn danger" disabled={busy()} onClick={confirm}>
            {props.confirmLabel ?? 'Delete'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
