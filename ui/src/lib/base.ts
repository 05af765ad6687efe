/**
 * Where NetWatch is served: the path of the `<base href>` the server writes into index.html
 * (`NETWATCH_BASE_PATH`, e.g. `/netwatch`), without its trailing slash; `''` at the site root or
 * when there is no `<base>` (the vite dev server). The router, API calls and full-page redirects
 * all stay under it.
 */
export const BASE: string = typeof document === 'undefined' ? '' : new URL(document.querySelector('base')?.getAttribute('href') ?? '/', location.origin).pathname.replace(/\/$/, '');

/** A router location's path (which includes {@link BASE}) as the app's own path: `/netwatch/users` → `/users`. */
export function appPath(pathname: string): string {
  return BASE && pathname.startsWith(BASE) ? pathname.slice(BASE.length) || '/' : pathname;
}
