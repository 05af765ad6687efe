/**
 * `GET /api/targets/:id/results?from&to&location&format=columns` (issue 13 §2, raw mode): every probe of
 * [from, to) (UTC epoch ms; to defaults to now, from to to − 1 h; at most 24 h, else 400) as
 * `{from, to, truncated, t, outcome, connectMs, localPort, localAddress, address, errorCode}`,
 * one entry per probe, oldest first (see store/raw-columns.ts), streamed (http/json-stream.ts).
 * `location` (issue 10): only the probes made from that location.
 */
import type { Context } from 'hono';
import { ValidationError } from '../errors.js';
import { rawColumns } from '../store/raw-columns.js';
import type { AppDeps } from './deps.js';
import { streamJson } from './json-stream.js';
import { timeRange } from './routes/history.js';

/** Longest range raw mode reads, ms: 24 h (issue 13 §2). */
export const MAX_RAW_RANGE_MS = 86_400_000;

/**
 * Answers raw mode for target `id` (already known to exist).
 * @throws {ValidationError} when the range is empty or longer than 24 h
 */
export async function rawColumnsResponse(c: Context, deps: AppDeps, id: number, q: { from?: number | undefined; to?: number | undefined; location?: string | undefined }): Promise<Response> {
  const { from, to } = timeRange(deps, q);
  if (to - from > MAX_RAW_RANGE_MS) throw new ValidationError({ from: 'Raw mode shows at most 24 hours; choose a shorter range or use history buckets.' });
  const cols = await rawColumns(deps.db, id, from, to, q.location);
  return streamJson(c, { from, to, ...cols });
}
