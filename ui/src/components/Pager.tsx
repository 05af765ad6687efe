/** Previous / next page controls with "page x of y". */

/** Props of {@link Pager}. */
export interface PagerProps {
  page: number;
  pages: number;
  onPage: (page: number) => void;
  label?: string;
}

/** Page controls (0-based page). */
export function Pager(props: PagerProps) {
  return (
    <nav class="pager" aria-label={props.label ?? 'Pages'}>
      <button type="button" class="btn" disabled={props.page <= 0} onClick={() => props.onPage(props.page - 1)}>
        ‹ Prev
      </button>
      <span>
        Page {props.page + 1} of {props.pages}
      </span>
      <button type="button" class="btn" disabled={props.page >= props.pages - 1} onClick={() => props.onPage(props.page + 1)}>
        Next ›
      </button>
    </nav>
  );
}
