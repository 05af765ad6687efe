/**
 * Response compression for the API (issue 13 §1): JSON bodies of 1 KiB or more are Brotli-, gzip-
 * or deflate-encoded when the client's Accept-Encoding allows (RFC 9110 §12.5.3; Brotli RFC 7932),
 * streamed through node:zlib at a fast setting. Hono's `compress` (web `CompressionStream`) only
 * offers zlib's default level 6, which cost ≈ 100 ms of the 5 MB history of 24 h at 1 s; level 1
 * costs ≈ 15 ms for a body ≈ 25 % larger, and Brotli at quality 1 is as fast and ≈ 2.5× smaller
 * than gzip (bench/README.md, "Charts, round 3"). Other types (CSV exports, the UI's files, the
 * event stream) pass untouched, so streamed downloads keep flowing chunk by chunk.
 */
import { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { accepts } from 'hono/accepts';

/** Encodings offered, best first: on equal q-values the client gets the first it accepts. */
const ENCODINGS = ['br', 'gzip', 'deflate'] as const;
type Encoding = (typeof ENCODINGS)[number];

/** zlib's output chunk size here: 64 KiB (default 16 KiB) means fewer chunks through the web stream. */
const CHUNK = 65_536;

/** A fresh encoder per response; fast settings (see the module comment). */
const ENCODERS: Record<Encoding, () => Duplex> = {
  br: () =>
    zlib.createBrotliCompress({
      chunkSize: CHUNK,
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT },
    }),
  gzip: () => zlib.createGzip({ level: 1, chunkSize: CHUNK }),
  deflate: () => zlib.createDeflate({ level: 1, chunkSize: CHUNK }),
};

/**
 * The encoding to use for an Accept-Encoding list: the highest q-value among {@link ENCODINGS}
 * (an encoding not named takes the q of `*`, else 0), ties to the first in that list;
 * `identity` when none is acceptable.
 */
function pick(list: readonly { type: string; q: number }[]): string {
  const wildcard = list.find((a) => a.type === '*')?.q ?? 0;
  let best: { enc: Encoding; q: number } | undefined;
  for (const enc of ENCODINGS) {
    const q = list.find((a) => a.type.toLowerCase() === enc)?.q ?? wildcard;
    if (q > 0 && (!best || q > best.q)) best = { enc, q };
  }
  return best?.enc ?? 'identity';
}

const JSON_TYPE = /^application\/json\b/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
const VARY_HAS = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/**
 * The API's compression middleware: JSON bodies only, from `threshold` bytes (when the length is
 * known; streamed bodies are always encoded). Leaves alone HEAD, 206, bodies already encoded and
 * `Cache-Control: no-transform`; adds `Vary: Accept-Encoding`; a strong ETag becomes weak.
 */
export const compressJson = (threshold = 1024): MiddlewareHandler =>
  async function compressJson(c, next) {
    await next();
    const res = c.res;
    const length = res.headers.get('Content-Length');
    if (
      !res.body ||
      c.req.method === 'HEAD' ||
      res.status === 206 ||
      res.headers.has('Content-Encoding') ||
      res.headers.has('Transfer-Encoding') ||
      (length !== null && Number(length) < threshold) ||
      !JSON_TYPE.test(res.headers.get('Content-Type') ?? '') ||
      NO_TRANSFORM.test(res.headers.get('Cache-Control') ?? '')
    )
      return;
    const vary = res.headers.get('Vary');
    if (vary !== '*' && !(vary && VARY_HAS.test(vary))) c.header('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const enc = accepts(c, { header: 'Accept-Encoding', supports: [...ENCODINGS], default: 'identity', match: pick });
    if (enc === 'identity') return;
    const encoder = Duplex.toWeb(ENCODERS[enc as Encoding]()) as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
    c.res = new Response(c.res.body!.pipeThrough(encoder), c.res);
    c.res.headers.delete('Content-Length');
    c.res.headers.set('Content-Encoding', enc);
    const etag = c.res.headers.get('ETag');
    if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`);
  };
