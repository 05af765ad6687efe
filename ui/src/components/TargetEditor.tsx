/**
 * Modal form to add or edit a target. Validates as you type with the API's rules and shows
 * the API's own 400 field errors beside the fields. Timeout is entered in seconds.
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { RETENTION_UNITS, type RetentionUnit } from '../../../src/domain/target-rules.ts';
import { ApiError, api } from '../api.ts';
import { apiFieldsToForm, emptyForm, formErrors, formFromTarget, formToBody, timeoutPlaceholder, type TargetForm } from '../lib/targetForm.ts';
import type { Target } from '../types.ts';
import { ChannelChoice } from './ChannelChoice.tsx';
import { Field } from './Field.tsx';
import { Modal } from './Modal.tsx';

/** Props of {@link TargetEditor}. */
export interface TargetEditorProps {
  open: boolean;
  /** The target to edit, or null to add one. */
  target: Target | null;
  onClose: () => void;
  onSaved: (t: Target) => void;
}

type Key = keyof TargetForm;
type Errors = Partial<Record<Key | '_', string>>;

/** The add/edit target modal. */
export function TargetEditor(props: TargetEditorProps) {
  return (
    <Modal open={props.open} title={props.target ? `Edit ${props.target.name}` : 'Add target'} onClose={props.onClose} class="modal-form">
      <EditorForm target={props.target} onClose={props.onClose} onSaved={props.onSaved} />
    </Modal>
  );
}

function EditorForm(props: Omit<TargetEditorProps, 'open'>) {
  const [form, setForm] = createStore<TargetForm>(props.target ? formFromTarget(props.target) : emptyForm());
  const [touched, setTouched] = createSignal<Set<Key>>(new Set());
  const [submitted, setSubmitted] = createSignal(false);
  const [serverErrors, setServerErrors] = createSignal<Errors>({});
  const [message, setMessage] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  /** Channels to notify (issue 11); null until loaded, then saved with the target. */
  const [channels, setChannels] = createSignal<number[] | null>(null);
  const clientErrors = createMemo(() => formErrors(form));

  const errorOf = (k: Key): string | undefined =>
    serverErrors()[k] ?? (submitted() || touched().has(k) ? clientErrors()[k] : undefined);

  const set = <K extends Key>(k: K, v: TargetForm[K]) => {
    setForm(k, v as never);
    setTouched((s) => new Set(s).add(k));
    setServerErrors((e) => ({ ...e, [k]: undefined }));
    // the interval also decides whether the timeout is valid
    if (k === 'intervalSeconds') setServerErrors((e) => ({ ...e, timeoutSeconds: undefined }));
  };

  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    setSubmitted(true);
    setMessage('');
    const errs = clientErrors();
    if (Object.keys(errs).length > 0) {
      (ev.currentTarget as HTMLFormElement).querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setBusy(true);
    try {
      const body = formToBody(form);
      const saved = props.target ? await api.updateTarget(props.target.id, body) : await api.createTarget(body);
      const chosen = channels();
      if (chosen) await api.setTargetChannels(saved.id, chosen);
      props.onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        const fields = apiFieldsToForm(e.fields);
        setServerErrors(fields);
        setMessage(fields._ ?? e.message);
      } else setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const text = (k: Key, label: string, attrs: { inputmode?: 'numeric' | 'decimal'; placeholder?: string; autofocus?: boolean; hint?: string } = {}) => (
    <Field label={label} error={errorOf(k)} hint={attrs.hint} class={`f-${k}`}>
      {(c) => (
        <input
          id={c.id}
          name={k}
          type="text"
          inputmode={attrs.inputmode}
          autocomplete="off"
          placeholder={attrs.placeholder}
          autofocus={attrs.autofocus}
          aria-describedby={c.describedBy}
          aria-invalid={c.invalid}
          value={form[k] as string}
          onInput={(e) => set(k, e.currentTarget.value as never)}
        />
      )}
    </Field>
  );

  return (
    <form class="editor" onSubmit={submit} novalidate>
      <div class="grid2">
        {text('name', 'Name', { autofocus: true })}
        {text('host', 'Host', { placeholder: 'db.example.com or 10.0.0.5' })}
        {text('port', 'Port', { inputmode: 'numeric' })}
        {text('intervalSeconds', 'Interval (s)', { inputmode: 'numeric' })}
        {text('timeoutSeconds', 'Timeout (s, optional)', { inputmode: 'decimal', placeholder: timeoutPlaceholder(form.intervalSeconds), hint: 'Decimals allowed, e.g. 0.5' })}
        <div class="field-row">
          {text('retentionValue', 'Keep history for', { inputmode: 'numeric' })}
          <Field label="Unit" error={errorOf('retentionUnit')}>
            {(c) => (
              <select id={c.id} name="retentionUnit" aria-describedby={c.describedBy} aria-invalid={c.invalid} value={form.retentionUnit} onChange={(e) => set('retentionUnit', e.currentTarget.value as RetentionUnit)}>
                <For each={RETENTION_UNITS}>{(u) => <option value={u}>{u}s</option>}</For>
              </select>
            )}
          </Field>
        </div>
        {text('failureThreshold', 'Down after (failed probes in a row)', { inputmode: 'numeric', hint: '1–100; default 3' })}
        {text('recoveryThreshold', 'Up again after (successes in a row)', { inputmode: 'numeric', hint: '1–100; default 1' })}
      </div>
      <ChannelChoice targetId={props.target?.id ?? null} chosen={channels} setChosen={setChannels} />
      <div class="field check">
        <input id="target-enabled" name="enabled" type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
        <label for="target-enabled">Enabled (probe this target)</label>
      </div>
      <Show when={message()}>
        <p class="error" role="alert">{message()}</p>
      </Show>
      <div class="actions">
        <button type="button" class="btn" onClick={() => props.onClose()}>Cancel</button>
        <button type="submit" class="btn primary" disabled={busy()}>{props.target ? 'Save' : 'Add target'}</button>
      </div>
    </form>
  );
}
