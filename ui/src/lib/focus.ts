/**
 * Focus rules shared by pages and forms (issue 16 §4–5): a form with errors moves focus to its first
 * invalid field; each page names itself in the document title and, after an in-app navigation,
 * moves focus to its heading so screen-reader and keyboard users start at the new page's top.
 */
import { createEffect, onMount } from 'solid-js';

/** Focuses the first control in `form` marked `aria-invalid="true"`; @returns whether there was one. */
export function focusFirstInvalid(form: HTMLElement | null | undefined): boolean {
  const el = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  el?.focus();
  return !!el;
}

/** True until the first page has been shown: the first page keeps its autofocus (e.g. Username). */
let firstPage = true;

/**
 * Names the page in the document title (`<title> · NetWatch`, reactive) and, on every page shown
 * after the first, focuses `heading()` (give it `tabindex="-1"`).
 */
export function usePage(title: () => string, heading: () => HTMLElement | undefined): void {
  createEffect(() => {
    document.title = `${title()} · NetWatch`;
  });
  onMount(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    heading()?.focus({ preventScroll: false });
  });
}
