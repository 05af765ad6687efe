/**
 * Modal form to add or edit a notification channel (issue 11): name, kind, default for new
 * targets, and the kind's settings. Secrets are password fields that are never filled in: blank
 * on edit keeps the stored value.
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { CHANNEL_KINDS, type Channel, type ChannelKind } from '../../../src/domain/channel-rules.ts';
import { ApiError, api } from '../api.ts';
import { channelBody, channelErrors, emptyChannelForm, formFromChannel, KIND_FIELDS, KIND_LABELS, type ChannelForm } from '../lib/channelForm.ts';
import { Field } from './Field.tsx';
import { Modal } from './Modal.tsx';

/** Props of {@link ChannelEditor}. */
export interface ChannelEditorProps {
  open: boolean;
  channel: Channel | null;
  onClose: () => void;
  onSaved: (c: Channel) => void;
}

/** The add/edit channel modal. */
export function ChannelEditor(props: ChannelEditorProps) {
  return (
    <Modal open={props.open} title={props.channel ? `Edit ${props.channel.name}` : 'Add channel'} onClose={props.onClose} class="modal-form">
      <Form channel={props.channel} onClose={props.onClose} onSaved={props.onSaved} />
    </Modal>
  );
}

function Form(props: Omit<ChannelEditorProps, 'open'>) {
  const [form, setForm] = createStore<ChannelForm>(props.channel ? formFromChannel(props.channel) : emptyChannelForm());
  const [submitted, setSubmitted] = createSignal(false);
  const [server, setServer] = createSignal<Record<string, string>>({});
  const [message, setMessage] = createSignal('');
  const secretsSet = () => (props.channel && props.channel.kind === form.kind ? props.channel.secretsSet : []);
  const errors = createMemo(() => channelErrors(form, secretsSet()));
  const errorOf = (k: string) => server()[k] ?? (submitted() ? errors()[k] : undefined);

  const submit = async (ev: SubmitEvent) => {
    ev.preventDefault();
    setSubmitted(true);
    setMessage('');
    if (Object.keys(errors()).length > 0) return;
    try {
      const body = channelBody(form);
      props.onSaved(props.channel ? await api.updateChannel(props.channel.id, body) : await api.createChannel(body));
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) setServer(e.fields);
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <form class="editor" onSubmit={submit} novalidate>
      <div class="grid2">
        <Field label="Name" error={errorOf('name')}>
          {(c) => <input id={c.id} name="name" aria-describedby={c.describedBy} aria-invalid={c.invalid} value={form.name} onInput={(e) => setForm('name', e.currentTarget.value)} />}
        </Field>
        <Field label="Kind" error={errorOf('kind')}>
          {(c) => (
            <select id={c.id} name="kind" value={form.kind} onChange={(e) => setForm('kind', e.currentTarget.value as ChannelKind)}>
              <For each={CHANNEL_KINDS}>{(k) => <option value={k}>{KIND_LABELS[k]}</option>}</For>
            </select>
          )}
        </Field>
        <For each={KIND_FIELDS[form.kind]}>
          {(f) => (
            <Field
              label={f.label}
              error={errorOf(`config.${f.key}`) ?? (f.kind === 'list' ? errorOf(`config.${f.key}.0`) : undefined)}
              hint={f.kind === 'secret' && secretsSet().includes(f.key) ? 'stored; leave blank to keep it' : f.hint}
            >
              {(c) =>
                f.kind === 'select' ? (
                  <select id={c.id} name={f.key} value={form.values[f.key] ?? ''} onChange={(e) => setForm('values', f.key, e.currentTarget.value)}>
                    <For each={f.options ?? []}>{(o) => <option value={o}>{o}</option>}</For>
                  </select>
                ) : (
                  <input
                    id={c.id}
                    name={f.key}
                    type={f.kind === 'secret' ? 'password' : 'text'}
                    autocomplete={f.kind === 'secret' ? 'new-password' : 'off'}
                    inputmode={f.kind === 'number' ? 'numeric' : undefined}
                    aria-describedby={c.describedBy}
                    aria-invalid={c.invalid}
                    value={form.values[f.key] ?? ''}
                    onInput={(e) => setForm('values', f.key, e.currentTarget.value)}
                  />
                )
              }
            </Field>
          )}
        </For>
      </div>
      <div class="field check">
        <input id="channel-default" name="isDefault" type="checkbox" checked={form.isDefault} onChange={(e) => setForm('isDefault', e.currentTarget.checked)} />
        <label for="channel-default">Default: chosen for new targets</label>
      </div>
      <Show when={message()}>
        <p class="error" role="alert">
          {message()}
        </p>
      </Show>
      <div class="actions">
        <button type="button" class="btn" onClick={() => props.onClose()}>
          Cancel
        </button>
        <button type="submit" class="btn primary">
          {props.channel ? 'Save' : 'Add channel'}
        </button>
      </div>
    </form>
  );
}
