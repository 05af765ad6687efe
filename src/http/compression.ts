/**
 * Response compression for the API (issue 13 §1): JSON bodies of 1 KiB or more are gzip- or
 * deflate-encoded when the client's Accept-Encoding allows (RFC 9110 §12.5.3), through Hono's
 * `compress` middleware, which pipes the body through the web `CompressionStream` (global in
 * Node ≥ 18). Hono's middleware offers no Brotli. Other types (CSV exports, the UI's files) are
 * passed through untouched, so streamed downloads keep flowing chunk by chunk.
 */
import { compress } from 'hono/compress';

/** The API's compression middleware: JSON only, from 1 KiB. */
export const compressJson = () => compress({ threshold: 1024, contentTypeFilter: /^application\/json\b/i });
