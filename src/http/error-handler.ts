/**
 * The one place errors become HTTP responses: `{ error: code, message, fields? }`.
 * Expected errors map by class; a duplicate key becomes 409 `conflict` (with the field of a known
 * unique index, errors.ts duplicateKeyConflict); other database driver errors become 503 `database_unavailable`; Hono's
 * HTTPException (e.g. malformed JSON) keeps its 4xx status; anything else is logged and returned
 * as a 500 without internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import {
  AppError,
  BusyError,
  ConflictError,
  DatabaseUnavailableError,
  duplicateKeyConflict,
  ForbiddenError,
  isDatabaseError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.js';

// keyed by the error's class, looked up with `err.constructor` (typed Function)
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const STATUS = new Map<Function, ContentfulStatusCode>([
  [ValidationError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [RateLimitedError, 429],
  [DatabaseUnavailableError, 503],
  [BusyError, 503],
]);

/** Builds Hono's `onError` handler; `onDbError` (the metrics) is told of each database error. */
export function errorHandler(log: Logger, onDbError?: () => void) {
  return (thrown: Error, c: Context) => {
    let err = thrown;
    const duplicate = duplicateKeyConflict(err);
    if (duplicate) err = duplicate;
    else if (isDatabaseError(err)) {
      log.warn({ err, method: c.req.method, path: c.req.path }, 'database error while serving a request');
      onDbError?.();
      err = new DatabaseUnavailableError();
    }
    if (err instanceof AppError) {
      const status = STATUS.get(err.constructor) ?? 400;
      if (err instanceof RateLimitedError || err instanceof BusyError) c.header('Retry-After', String(err.retryAfterS));
      const body: Record<string, unknown> = { error: err.code, message: err.message };
      if (err instanceof ValidationError || (err instanceof ConflictError && err.fields)) body.fields = (err as ValidationError).fields;
      return c.json(body, status);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 400 ? 'bad_request' : err.status === 413 ? 'too_large' : 'http_error';
      return c.json({ error: code, message: err.message || 'Bad request.' }, err.status as ContentfulStatusCode);
    }
    log.error({ err, method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json({ error: 'internal', message: 'Something went wrong on the server; it has been logged.' }, 500);
  };
}
