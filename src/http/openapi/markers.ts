/**
 * Route metadata for the OpenAPI document (issue 14 §2), as hono-openapi markers on middleware:
 * {@link doc} before a route's handler, {@link requiresSession} / {@link requiresAdmin} on the app's
 * own auth middleware (session.ts), so a route is documented as needing a session or a token exactly
 * where that middleware runs. The document itself is built in ./document.ts.
 */
import type { MiddlewareHandler } from 'hono';
import { describeRoute, resolver, uniqueSymbol, type DescribeRouteOptions } from 'hono-openapi';
import type { ZodType } from 'zod';

/** Names and descriptions of the error responses in `components.responses`, by status. */
export const ERRORS = {
  400: ['BadRequest', 'Bad input: `fields` holds a message per field path (`_`: the body as a whole).'],
  401: ['Unauthorized', 'No live session and no valid API token (a wrong token counts toward a per-address limit).'],
  403: ['Forbidden', 'Not allowed: a viewer asking for a change or an admin-only resource, or a cross-site write.'],
  404: ['NotFound', 'No such resource (or route).'],
  409: ['Conflict', 'The change conflicts with stored data (e.g. a taken username or channel name, the last admin); `fields` names the field when one is at fault.'],
  413: ['TooLarge', 'The request body is larger than the route accepts.'],
  415: ['UnsupportedMediaType', 'The body is not in a media type the route takes (JSON routes: `application/json`).'],
  429: ['RateLimited', 'Too many attempts; `Retry-After` says when to try again (s).'],
  503: ['Unavailable', 'The database did not answer (nothing was changed), or a capacity is full (`busy`: all live stream slots are taken; `Retry-After` says when to try again, s).'],
} as const;
/** A status with a shared error response. */
export type ErrorStatus = keyof typeof ERRORS;

/** A reference to the shared error response of `status`. */
export const ref = (status: ErrorStatus) => ({ $ref: `#/components/responses/${ERRORS[status][0]}` });

/** What {@link doc} takes. */
export interface RouteDoc {
  summary: string;
  tags: string[];
  description?: string;
  /** Body of the success response (JSON); omitted for 204. */
  ok?: ZodType;
  /** Success status (default 200; 204 has no body). */
  status?: 200 | 201 | 204;
  /** Success media type(s) other than JSON (e.g. `text/csv`), described as text; with `ok`, both. */
  media?: string | string[];
  /** Route-specific error statuses beyond the defaults (400 for validated input, 401/403 from auth, 503). */
  errors?: ErrorStatus[];
  /** Other responses with a JSON body of their own, by status (e.g. health's 503). */
  other?: Record<number, { description: string; body: ZodType }>;
  /** A request body the route parses itself (not through a validator): its media types and shape. */
  body?: { media: string[]; schema: ZodType; description: string };
  /** Security other than the app's (e.g. the metrics token); `[]` = none. */
  security?: Record<string, string[]>[];
}

/**
 * Route metadata for the document: a no-op middleware placed before the handler.
 * @example app.get('/:id', doc({ summary: 'One target', tags: ['targets'], ok: Target, errors: [404] }), handler)
 */
export function doc(d: RouteDoc): MiddlewareHandler {
  const status = d.status ?? 200;
  const success =
    status === 204
      ? { description: 'Done; no body.' }
      : {
          description: 'Success.',
          content: {
            ...(d.ok && { 'application/json': { schema: resolver(d.ok) } }),
            ...Object.fromEntries([d.media ?? []].flat().map((m) => [m, { schema: { type: 'string' as const } }])),
          },
        };
  const responses: NonNullable<DescribeRouteOptions['responses']> = { [status]: success };
  for (const e of d.errors ?? []) responses[e] = ref(e);
  for (const [s, o] of Object.entries(d.other ?? {})) responses[s] = { description: o.description, content: { 'application/json': { schema: resolver(o.body) } } };
  const requestBody = d.body && { required: true, description: d.body.description, content: Object.fromEntries(d.body.media.map((m) => [m, { schema: resolver(d.body!.schema) }])) };
  return describeRoute({
    summary: d.summary,
    tags: d.tags,
    ...(d.description && { description: d.description }),
    ...(requestBody && { requestBody }),
    ...(d.security && { security: d.security }),
    responses,
  });
}

/** Marks `requireUser` (session.ts): a session cookie or a bearer token; 401 without. */
export function requiresSession<M extends MiddlewareHandler>(m: M): M {
  return Object.assign(m, { [uniqueSymbol]: { spec: { security: [{ session: [] }, { token: [] }], responses: { 401: ref(401) } } } });
}

/** Marks `requireAdmin` (session.ts): 403 for a viewer. */
export function requiresAdmin<M extends MiddlewareHandler>(m: M): M {
  return Object.assign(m, { [uniqueSymbol]: { spec: { responses: { 403: ref(403) } } } });
}
