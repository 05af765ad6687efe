/**
 * Modal form to add or edit a target. Validates as you type with the API's rules and shows
 * the API's own 400 field errors beside the fields. Timeout is entered in seconds.
 * Guidance (issue 16 §5): a line on what a target is, one per field with its allowed range, and a
 * URL or `host:port` pasted into Host is recognised with an offer to split it (lib/hostUrl.ts).
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { RETENTION_UNITS, type RetentionUnit } from '../../../src/domain/target-rules.ts';
import { ADDRESS_FAMILIES, ADDRESS_POLICIES, CLOSE_MODES } from '../../../src/domain/wire-rules.ts';
import { ApiError, api } from '../api.ts';
import { splitHostUrl } from '../lib/hostUrl.ts';
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

  const errorOf = (k: Key): string | undefined => serverErrors()[k] ?? (submitted() || touched().has(k) ? clientErrors()[k] : undefined);

  const set = <K extends Key>(k: K, v: TargetForm[K]) => {
    setForm(k, v as never);
    setTouched((s) => new Set(s).add(k));
    setServerErrors((e) => ({ ...e, [k]: undefined }));
    // the interval also decides whether the timeout is valid (and how many source ports fin needs)
    if (k === 'intervalSeconds') setServerErrors((e) => ({ ...e, timeoutSeconds: undefined, sourcePortMax: undefined }));
    // the range size rule reads both ends and the close mode; family rules read host, source and family together
    if (k === 'sourcePortMin' || k === 'closeMode' || k === 'timeoutSeconds') setServerErrors((e) => ({ ...e, sourcePortMax: undefined }));
    if (k === 'host' || k === 'addressFamily') setServerErrors((e) => ({ ...e, sourceAddress: undefined, addressFamily: undefined }));
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

  const choice = <K extends 'closeMode' | 'addressFamily' | 'addressPolicy'>(k: K, label: string, values: readonly TargetForm[K][], names: Record<TargetForm[K], string>) => (
    <Field label={label} error={errorOf(k)} class={`f-${k}`}>
      {(c) => (
        <select id={c.id} name={k} aria-describedby={c.describedBy} aria-invalid={c.invalid} value={form[k]} onChange={(e) => set(k, e.currentTarget.value as TargetForm[K])}>
          <For each={values}>{(v) => <option value={v}>{names[v]}</option>}</For>
        </select>
      )}
    </Field>
  );
  const pasted = createMemo(() => splitHostUrl(form.host));
  const splitPasted = (ev: MouseEvent) => {
    const p = pasted();
    if (!p) return;
    const form = (ev.currentTarget as HTMLElement).closest('form'); // before the offer (and this button) goes
    set('host', p.host);
    if (p.port != null) set('port', String(p.port));
    form?.querySelector<HTMLElement>(p.port != null ? '[name="intervalSeconds"]' : '[name="port"]')?.focus();
  };

  return (
    <form class="editor" onSubmit={submit} novalidate>
      <p class="muted small guide">
        A target is a host and TCP port. At every interval NetWatch opens a TCP connection to it (the handshake only), records whether and how fast it completed, and closes it; no data is sent.
      </p>
      <div class="grid2">
        {text('name', 'Name', { autofocus: true, hint: 'Any label, 1–100 characters.' })}
        {text('host', 'Host', { placeholder: 'db.example.com or 10.0.0.5', hint: 'A host name or IP address alone: no scheme, port or path.' })}
        <Show when={pasted()}>
          {(p) => (
            <div class="url-offer" role="status" data-testid="url-offer">
              <span>
                That looks like {p().scheme ? 'a URL' : 'host:port'}. Host takes the host alone{p().port != null ? '; the port goes in Port' : ''}.
              </span>{' '}
              <button type="button" class="btn small" onClick={splitPasted}>
                Use host {p().host}
                {p().port != null ? ` and port ${p().port}` : ''}
              </button>
            </div>
          )}
        </Show>
        {text('port', 'Port', { inputmode: 'numeric', hint: 'TCP port, 1–65,535.' })}
        {text('intervalSeconds', 'Interval (s)', { inputmode: 'numeric', hint: 'From one probe’s start to the next: 1–86,400 s.' })}
        {text('timeoutSeconds', 'Timeout (s, optional)', {
          inputmode: 'decimal',
          placeholder: timeoutPlaceholder(form.intervalSeconds),
          hint: 'How long to wait for the handshake: 0.1–60 s, at most the interval; decimals allowed, e.g. 0.5.',
        })}
        <div class="field-row">
          {text('retentionValue', 'Keep history for', { inputmode: 'numeric', hint: '1–100,000 of the unit; older results are deleted.' })}
          <Field label="Unit" error={errorOf('retentionUnit')}>
            {(c) => (
              <select
                id={c.id}
                name="retentionUnit"
                aria-describedby={c.describedBy}
                aria-invalid={c.invalid}
                value={form.retentionUnit}
                onChange={(e) => set('retentionUnit', e.currentTarget.value as RetentionUnit)}
              >
                <For each={RETENTION_UNITS}>{(u) => <option value={u}>{u}s</option>}</For>
              </select>
            )}
          </Field>
        </div>
        {text('failureThreshold', 'Down after (failed probes in a row)', { inputmode: 'numeric', hint: 'Failed probes in a row before the target is down: 1–100, default 3.' })}
        {text('recoveryThreshold', 'Up again after (successes in a row)', { inputmode: 'numeric', hint: 'Successes in a row before it is up again: 1–100, default 1.' })}
      </div>
      <fieldset class="wire">
        <legend>On the wire (hub-to-spoke)</legend>
        <div class="grid2">
          {text('sourceAddress', 'Source address (optional)', {
            placeholder: 'kernel chooses',
            hint: "Bind probes to this address of one of this host's interfaces, so a VPN's traffic selector matches.",
          })}
          <div class="field-row">
            {text('sourcePortMin', 'Source range: first', { inputmode: 'numeric', placeholder: 'ephemeral', hint: 'Source ports 1,024–65,535, used in turn; first = last for one fixed port.' })}
            {text('sourcePortMax', 'last', { inputmode: 'numeric', placeholder: 'ephemeral' })}
          </div>
          {choice('closeMode', 'Close with', CLOSE_MODES, { fin: 'FIN (orderly)', rst: 'RST (abortive, no TIME_WAIT)' })}
          {choice('addressFamily', 'Address family', ADDRESS_FAMILIES, { any: 'any', ipv4: 'IPv4 only', ipv6: 'IPv6 only' })}
          {choice('addressPolicy', 'Several addresses', ADDRESS_POLICIES, { fallback: 'try the next on failure', first: 'dial only the first' })}
          {text('locations', 'Probe from locations (optional)', {
            placeholder: 'default',
            hint: 'Location names separated by commas, e.g. fra, ams: one NetWatch node of each location probes it. Empty = the location "default".',
          })}
        </div>
      </fieldset>
      <ChannelChoice targetId={props.target?.id ?? null} chosen={channels} setChosen={setChannels} />
      <div class="field check">
        <input id="target-enabled" name="enabled" type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
        <label for="target-enabled">Enabled (probe this target)</label>
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
        <button type="submit" class="btn primary" disabled={busy()}>
          {props.target ? 'Save' : 'Add target'}
        </button>
      </div>
    </form>
  );
}
