/**
 * What an admin-only page (users, channels, audit) shows a viewer: the page's heading and document
 * title, as the admin's page has them (lib/focus.ts usePage), and why it is empty.
 */
import type { JSX } from 'solid-js';
import { usePage } from '../lib/focus.ts';

/** The viewer's page: `title` as heading and document title, `children` as the explanation. */
export function AdminsOnly(props: { title: string; class?: string; children: JSX.Element }) {
  let heading: HTMLHeadingElement | undefined;
  usePage(
    () => props.title,
    () => heading,
  );
  return (
    <section class={props.class}>
      <h1 ref={heading} tabindex="-1">
        {props.title}
      </h1>
      <p class="empty" data-testid="admins-only">
        {props.children}
      </p>
    </section>
  );
}
