/**
 * Request validation: zod schemas via @hono/zod-validator; a failure becomes a
 * {@link ValidationError} (400 with per-field messages) through the one error handler.
 * Each validator also carries its schema for the OpenAPI document (hono-openapi's marker, read by
 * openapi/document.ts), so the contract is generated from the very schemas that validate (issue 14 §2).
 */
import { zValidator } from '@hono/zod-validator';
import { resolver, uniqueSymbol } from 'hono-openapi';
import type { ZodType } from 'zod';
import { issuesToFields } from '../domain/target-rules.js';
import { UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import type { Context } from 'hono';
import type { Db } from '../store/db.js';
import { assertKnownLocation } from '../store/location-filter.js';
import type { AppEnv } from './deps.js';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Validates the JSON body against `schema`. Malformed JSON is a 400 too; a body not sent as JSON
 * (any other Content-Type, or none, would otherwise be validated as `{}`) is a 415
 * {@link UnsupportedMediaTypeError}.
 */
export const jsonBody = <T extends ZodType>(schema: T) =>
  documented(
    'json',
    schema,
    zValidator('json', schema, (result, c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
      if (!JSON_TYPE.test(type)) throw new UnsupportedMediaTypeError('Send the body as JSON (Content-Type: application/json).');
      if (!result.success) throw new ValidationError(issuesToFields(result.error.issues));
    }),
  );

/**
 * Validates the query string against `schema`; a parameter given more than once is a 400 on it
 * ({@link repeatedKeys}), on every route. A valid `location` must also be one NetWatch knows
 * (store/location-filter.ts assertKnownLocation: 400 on `location` naming the known ones), on every
 * route that filters by location.
 */
export const queryOf = <T extends ZodType>(schema: T) =>
  documented(
    'query',
    schema,
    zValidator('query', schema, async (result, c) => {
      const repeated = repeatedKeys(c.req.queries(), schema);
      if (repeated) throw new ValidationError(repeated);
      if (!result.success) throw new ValidationError(issuesToFields(result.error.issues));
      const location = (result.data as { location?: unknown } | null)?.location;
      const db = (c as Context<AppEnv>).get('db') as Db | undefined;
      if (typeof location === 'string' && db) await assertKnownLocation(db, location);
    }),
  );

/**
 * Every query parameter of `schema` is one value: a repeated one (`?from=1&from=2`, which the
 * validator would hand over as a list and zod refuse with a type message) gets a clear per-field
 * message instead. Parameters the schema does not take are ignored, as they are when given once.
 * @returns field → message, or null when none is repeated
 */
function repeatedKeys(all: Record<string, string[]>, schema: ZodType): Record<string, string> | null {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  const fields: Record<string, string> = {};
  for (const [k, values] of Object.entries(all)) {
    if (values.length > 1 && (!shape || k in shape)) fields[k] = `Give ${k} once (it was given ${values.length} times).`;
  }
  return Object.keys(fields).length > 0 ? fields : null;
}

/** Marks a validator middleware with its target and schema, as hono-openapi's own `validator` does. */
function documented<M extends object>(target: 'json' | 'query', schema: ZodType, middleware: M): M {
  return Object.assign(middleware, { [uniqueSymbol]: { target, ...resolver(schema) } });
}

/**
 * Parses a numeric route id. Ids are positive integers below 2³¹.
 * @throws {NotFoundError}-worthy undefined: returns undefined when the id cannot exist
 */
export function parseId(raw: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id < 2 ** 31 ? id : undefined;
}
