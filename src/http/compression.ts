/**
 * Response compression for the API (issue 13 §1): JSON bodies of 1 KiB or more are Brotli-, gzip-
 * or deflate-encoded when the client's Accept-Encoding allows (RFC 9110 §12.5.3; Brotli RFC 7932),
 * streamed through node:zlib at a fast setting. Hono's `compress` (web `CompressionStream`) only
 * offers zlib's default level 6, which cost ≈ 100 ms of the 5 MB history of 24 h at 1 s; level 1
 * costs ≈ 15 ms for a body ≈ 25 % larger, and Brotli at quality 1 is as fast and ≈ 2.5× smaller
 * than gzip (bench/README.md, "Charts, round 3"). Other types (CSV exports, the UI's files, the
 * event stream) pass untouched, so streamed downloads keep flowing chunk by chunk.
 *
 * `c.json` sets no Content-Length and raw mode streams large JSON, so the 1 KiB threshold is judged
 * on the body itself: its first chunks are read until 1 KiB or its end (never the whole of a large
 * stream); a body that ends sooner goes out as it is, with its Content-Length.
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

/** RFC 9110 §12.4.2 `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The q-value of one parsed Accept-Encoding member, 0..1. hono's parser reads a q that is not a
 * number (`gzip;q=abc`) as 1; here a q outside the RFC 9110 §12.4.2 grammar counts as 0 (not accepted).
 */
function qOf(a: { q: number; params: Record<string, string> }): number {
  const raw = a.params.q ?? a.params.Q;
  return raw === undefined ? a.q : QVALUE.test(raw.trim()) ? Number(raw) : 0;
}

/**
 * The encoding to use for an Accept-Encoding list: the highest q-value among {@link ENCODINGS}
 * (an encoding not named takes the q of `*`, else 0), ties to the first in that list;
 * `identity` when none is acceptable. A malformed q-value counts as 0 ({@link qOf}).
 */
function pick(list: readonly { type: string; q: number; params: Record<string, string> }[]): string {
  const star = list.find((a) => a.type === '*');
  const wildcard = star ? qOf(star) : 0;
  let best: { enc: Encoding; q: number } | undefined;
  for (const enc of ENCODINGS) {
    const named = list.find((a) => a.type.toLowerCase() === enc);
    const q = named ? qOf(named) : wildcard;
    if (q > 0 && (!best || q > best.q)) best = { enc, q };
  }
  return best?.enc ?? 'identity';
}

const JSON_TYPE = /^application\/json\b/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
const VARY_HAS = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/**
 * Reads `body` until `threshold` bytes or its end. `rest` is null when the body ended (then `head`
 * is all of it); otherwise a stream of what was read followed by the unread remainder.
 */
async function readHead(body: ReadableStream<Uint8Array>, threshold: number) {
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  while (size < threshold) {
    const { done, value } = await reader.read();
    if (done) return { head: Buffer.concat(head), rest: null };
    head.push(value);
    size += value.byteLength;
  }
  const rest = new ReadableStream<Uint8Array>({
    start(ctl) {
      for (const chunk of head) ctl.enqueue(chunk);
    },
    async pull(ctl) {
      const { done, value } = await reader.read();
      if (done) ctl.close();
      else ctl.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { head: null, rest };
}

/**
 * The API's compression middleware: JSON bodies only, from `threshold` bytes (a body without a
 * Content-Length is measured by reading at most its first `threshold` bytes; see the module
 * comment). Leaves alone HEAD, 206, bodies already encoded and `Cache-Control: no-transform`;
 * adds `Vary: Accept-Encoding`; a strong ETag becomes weak.
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
    let body: ReadableStream<Uint8Array> = c.res.body!;
    if (length === null) {
      const { head, rest } = await readHead(body, threshold);
      if (!rest) {
        // under the threshold: as it is, now with its length (the Vary above still holds for this URL)
        c.res = new Response(head, c.res);
        c.res.headers.set('Content-Length', String(head.byteLength));
        return;
      }
      body = rest;
    }
    const encoder = Duplex.toWeb(ENCODERS[enc as Encoding]()) as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
    c.res = new Response(body.pipeThrough(encoder), c.res);
    c.res.headers.delete('Content-Length');
    c.res.headers.set('Content-Encoding', enc);
    const etag = c.res.headers.get('ETag');
    if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`);
  };
