/** A sortable table header cell: a button inside `<th>` with `aria-sort`. */
import type { JSX } from 'solid-js';

/** Props of {@link SortHeader}. */
export interface SortHeaderProps<K extends string> {
  key: K;
  sort: { key: K; dir: 'asc' | 'desc' };
  onSort: (key: K) => void;
  children: JSX.Element;
  class?: string;
}

/** Header cell that toggles sorting on click (Enter/Space via the button). */
export function SortHeader<K extends string>(props: SortHeaderProps<K>) {
  const active = () => props.sort.key === props.key;
  return (
    <th scope="col" class={props.class} aria-sort={active() ? (props.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class="th-btn" onClick={() => props.onSort(props.key)}>
        {props.children}
        <span class="sort-mark" aria-hidden="true">
          {active() ? (props.sort.dir === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}
