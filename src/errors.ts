/**
 * NetWatch's named errors. Each has a stable `code` that the API returns as `error`;
 * the HTTP status for each class is chosen in one place (src/http/error-handler.ts).
 */

/** Base of every expected error; `message` is safe to show to the user. */
export abstract class AppError extends Error {
  abstract readonly code: string;
}

/** Input failed validation; `fields` maps a field name to its message. */
export class ValidationError extends AppError {
  readonly code = 'validation';
  constructor(
    readonly fields: Record<string, string>,
    message = 'Some fields are not valid.',
  ) {
    super(message);
  }
}

/** No such resource (unknown id or path). */
export class NotFoundError extends AppError {
  readonly code = 'not_found';
  constructor(what = 'Resource') {
    super(`${what} not found.`);
  }
}

/** Not logged in, session expired or revoked, or wrong credentials. */
export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  constructor(message = 'Log in to continue.') {
    super(message);
  }
}

/** Logged in (or not) but this action is not allowed (e.g. setup after the first user exists). */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
}

/**
 * The request conflicts with current state (duplicate username or channel name, deleting yourself
 * or the last user); `fields` (when given) maps a field name to its message, as for a 400.
 */
export class ConflictError extends AppError {
  readonly code = 'conflict';
  constructor(
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

/**
 * The unique indexes the API can hit, by index name (MySQL/MariaDB `Duplicate entry … for key
 * 'channels_name'`) and by column (SQLite `UNIQUE constraint failed: channels.name`), with the
 * request field each guards and its message (sql/<dialect>/014_channel_name_unique.sql).
 */
const UNIQUE_KEYS: readonly { index: string; column: string; field: string; message: string }[] = [
  { index: 'channels_name', column: 'channels.name', field: 'name', message: 'Another channel has this name.' },
];

/**
 * The {@link ConflictError} for a driver's duplicate-key error (MySQL `ER_DUP_ENTRY`, SQLite
 * `SQLITE_CONSTRAINT_UNIQUE`), with the field message of a known index; null for any other error.
 */
export function duplicateKeyConflict(err: unknown): ConflictError | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e?.code !== 'ER_DUP_ENTRY' && e?.code !== 'SQLITE_CONSTRAINT_UNIQUE') return null;
  const text = typeof e.message === 'string' ? e.message : '';
  const key = UNIQUE_KEYS.find((k) => text.includes(`'${k.index}'`) || text.includes(`.${k.index}'`) || text.endsWith(k.column) || text.includes(`${k.column},`));
  return key ? new ConflictError(key.message, { [key.field]: key.message }) : new ConflictError('This value is already taken.');
}

/** Too many attempts; `retryAfterS` seconds until the next is allowed. */
export class RateLimitedError extends AppError {
  readonly code = 'rate_limited';
  constructor(readonly retryAfterS: number) {
    super(`Too many failed attempts. Try again in ${retryAfterS} s.`);
  }
}

/**
 * A capacity NetWatch keeps is full (e.g. open live streams, `NETWATCH_MAX_EVENT_STREAMS`): 503
 * with `Retry-After: retryAfterS` (s). Nothing is wrong with the request; try again later.
 */
export class BusyError extends AppError {
  readonly code = 'busy';
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message);
  }
}

/** The request body is not in a media type the route takes (e.g. `text/plain` on a JSON route). */
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
}

/** The request body is larger than the API accepts (`maxBytes`). */
export class PayloadTooLargeError extends AppError {
  readonly code = 'too_large';
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`);
  }
}

/**
 * The database did not answer or refused the statement for a reason of its own (down, locked,
 * busy, table missing). Probing goes on; results wait in the writer's memory.
 */
export class DatabaseUnavailableError extends AppError {
  readonly code = 'database_unavailable';
  constructor() {
    super('The database is not answering right now; try again shortly. Probing goes on and results are kept until it is back.');
  }
}

/** True for driver errors that mean "the database is unavailable", not "your input is wrong". */
export function isDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('ER_') ||
    code.startsWith('SQLITE_') ||
    code.startsWith('PROTOCOL_') ||
    code === 'POOL_TIMEOUT' ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)
  );
}
