/**
 * Channels page (/channels, admins only; issue 11): notification channels with "Send test", edit
 * and delete, and the delivery log (GET /api/deliveries) with status and last error.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import type { Channel } from '../../../src/domain/channel-rules.ts';
import { api } from '../api.ts';
import { ChannelEditor } from '../components/ChannelEditor.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { KIND_LABELS } from '../lib/channelForm.ts';
import { formatLocalWithOffset } from '../lib/time.ts';
import { loaded } from '../lib/resource.ts';
import { isAdmin } from '../session.ts';
import { usePage } from '../lib/focus.ts';
import { AdminsOnly } from '../components/AdminsOnly.tsx';

/** The channels page; viewers are told it is for admins. */
export function Channels() {
  return (
    <Show when={isAdmin()} fallback={<AdminsOnly title="Notification channels">Only admins manage notification channels.</AdminsOnly>}>
      <ChannelsAdmin />
    </Show>
  );
}

function ChannelsAdmin() {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => 'Notification channels',
    () => heading,
  );
  const [channels, { refetch }] = createResource(() => api.channels().then((r) => r.channels));
  const [log, { refetch: reloadLog }] = createResource(() => api.deliveries({ limit: 50 }).then((r) => r.deliveries));
  const [editing, setEditing] = createSignal<{ channel: Channel | null } | null>(null);
  const [deleting, setDeleting] = createSignal<Channel | null>(null);
  const [note, setNote] = createSignal('');
  const nameOf = (id: number) => loaded(channels)?.find((c) => c.id === id)?.name ?? `#${id}`;
  const test = async (c: Channel) => {
    setNote(`Sending a test to ${c.name}…`);
    try {
      const { delivery } = await api.testChannel(c.id);
      setNote(delivery.status === 'sent' ? `Test sent to ${c.name}.` : `Test to ${c.name} failed: ${delivery.lastError}`);
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    }
    void reloadLog();
  };
  return (
    <section class="channels">
      <div class="toolbar">
        <h1 ref={heading} tabindex="-1">
          Notification channels
        </h1>
        <span class="spacer" />
        <button type="button" class="btn primary" onClick={() => setEditing({ channel: null })}>
          + Add channel
        </button>
      </div>
      <Show when={note()}>
        <p role="status" data-testid="channel-note">
          {note()}
        </p>
      </Show>
      <Show when={channels.error}>
        <p class="error" role="alert">
          {(channels.error as Error).message}
        </p>
      </Show>
      <table class="table" data-testid="channel-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Default</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={loaded(channels) ?? []}>
            {(c) => (
              <tr data-channel-id={c.id}>
                <td>{c.name}</td>
                <td>{KIND_LABELS[c.kind]}</td>
                <td>{c.isDefault ? 'yes' : ''}</td>
                <td class="c-actions">
                  <button type="button" class="btn small" onClick={() => void test(c)}>
                    Send test
                  </button>
                  <button type="button" class="btn small" onClick={() => setEditing({ channel: c })}>
                    Edit
                  </button>
                  <button type="button" class="btn small danger" onClick={() => setDeleting(c)}>
                    Delete
                  </button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <h2>Delivery log</h2>
      <Show when={log.error}>
        <p class="error" role="alert">
          {(log.error as Error).message}
        </p>
      </Show>
      <table class="table" data-testid="delivery-log">
        <thead>
          <tr>
            <th>Created</th>
            <th>Channel</th>
            <th>Message</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          <For each={loaded(log) ?? []}>
            {(d) => (
              <tr data-status={d.status}>
                <td>{formatLocalWithOffset(d.createdAt)}</td>
                <td>{nameOf(d.channelId)}</td>
                <td>{d.title}</td>
                <td>{d.status}</td>
                <td class="mono">{d.attempts}</td>
                <td class="mono">{d.lastError ?? ''}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={editing()}>
        {(e) => (
          <ChannelEditor
            open
            channel={e().channel}
            onClose={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              void refetch();
            }}
          />
        )}
      </Show>
      <Show when={deleting()}>
        {(c) => (
          <ConfirmDialog
            open
            title={`Delete ${c().name}?`}
            message="Targets stop notifying this channel."
            confirmLabel="Delete"
            onCancel={() => setDeleting(null)}
            onConfirm={async () => {
              await api.deleteChannel(c().id);
              setDeleting(null);
              void refetch();
            }}
          />
        )}
      </Show>
    </section>
  );
}
