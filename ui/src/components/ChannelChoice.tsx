/**
 * The target editor's notification channels (issue 11): a checkbox per channel; a new target
 * starts with the default channels. The chosen ids are kept in `chosen` for the editor to save.
 */
import { createResource, For, Show, type Accessor, type Setter } from 'solid-js';
import { api } from '../api.ts';
import { loaded } from '../lib/resource.ts';

/** Props of {@link ChannelChoice}: the target being edited (null: new) and the chosen ids. */
export interface ChannelChoiceProps {
  targetId: number | null;
  chosen: Accessor<number[] | null>;
  setChosen: Setter<number[] | null>;
}

/** Checkboxes of the channels a target notifies. */
export function ChannelChoice(props: ChannelChoiceProps) {
  const [channels] = createResource(async () => {
    const list = (await api.channels()).channels;
    const ids = props.targetId === null ? list.filter((c) => c.isDefault).map((c) => c.id) : (await api.targetChannels(props.targetId)).channelIds;
    props.setChosen(ids);
    return list;
  });
  const toggle = (id: number, on: boolean) => props.setChosen((ids) => (on ? [...(ids ?? []), id] : (ids ?? []).filter((x) => x !== id)));
  return (
    <fieldset class="field channels-choice">
      <legend>Notify</legend>
      <Show when={channels.error}>
        <span class="field-error">Channels could not be loaded: {(channels.error as Error).message}</span>
      </Show>
      <Show when={loaded(channels)?.length === 0}>
        <span class="hint">No channels yet (add them on the Channels page).</span>
      </Show>
      <For each={loaded(channels) ?? []}>
        {(c) => (
          <label class="check">
            <input type="checkbox" name="channel" value={c.id} checked={props.chosen()?.includes(c.id) ?? false} onChange={(e) => toggle(c.id, e.currentTarget.checked)} /> {c.name}
          </label>
        )}
      </For>
    </fieldset>
  );
}
