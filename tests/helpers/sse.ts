/**
 * A Server-Sent Events client over fetch, or over node:https trusting a given CA (a proxy with a
 * test certificate). WHATWG event-stream parsing: `event:`, `data:` lines joined by newlines,
 * `id:`, comments, a blank line ends an event. For tests and the bench.
 */
import https from 'node:https';

/** One received event (`comment` set for a `:` line, then the other fields are empty). */
export interface SseEvent {
  event: string;
  data: string;
  id: string;
  comment?: string;
  /** performance.now() when its last line arrived. */
  at: number;
}

/** An open stream: its status and headers, the events so far, a wait for the next matching one. */
export interface SseStream {
  status: number;
  /** A response header, or null. */
  header(name: string): string | null;
  events: SseEvent[];
  /** Bytes received so far (the wire size of the stream, before any decoding). */
  bytes: number;
  /** Resolves with the first event after index `from` (default: any not yet returned by next) matching `pick`. */
  next(pick?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** True once the server ended the stream. */
  ended: boolean;
  close(): void;
}

/** Response of either transport. */
interface Opened {
  status: number;
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array>;
}

/** GET over node:https trusting only `ca`. */
function httpsGet(url: string, headers: Record<string, string>, ca: string, signal: AbortSignal): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { headers, ca, signal }, (res) => {
      resolve({
        status: res.statusCode!,
        header: (n) => {
          const v = res.headers[n.toLowerCase()];
          return v === undefined ? null : String(v);
        },
        body: res,
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Opens `url` with `headers` (over https trusting only `ca` when given); resolves once the
 * response headers are in. @throws on a non-2xx status
 */
export async function openSse(url: string, headers: Record<string, string> = {}, ca?: string): Promise<SseStream> {
  const ctl = new AbortController();
  const h = { accept: 'text/event-stream', ...headers };
  let res: Opened;
  if (ca) res = await httpsGet(url, h, ca, ctl.signal);
  else {
    const r = await fetch(url, { headers: h, signal: ctl.signal });
    res = { status: r.status, header: (n) => r.headers.get(n), body: r.body as unknown as AsyncIterable<Uint8Array> };
  }
  if (res.status < 200 || res.status > 299) {
    ctl.abort();
    throw new Error(`SSE ${url}: ${res.status}`);
  }
  const events: SseEvent[] = [];
  let cursor = 0;
  const waiters = new Set<() => void>();
  const s: SseStream = {
    status: res.status,
    header: res.header,
    events,
    bytes: 0,
    ended: false,
    close: () => ctl.abort(),
    async next(pick = () => true, timeoutMs = 5000) {
      const until = performance.now() + timeoutMs;
      for (;;) {
        while (cursor < events.length) {
          const e = events[cursor++]!;
          if (pick(e)) return e;
        }
        if (s.ended) throw new Error('stream ended');
        const left = until - performance.now();
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, left);
          function done() {
            clearTimeout(t);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    let cur: SseEvent = { event: 'message', data: '', id: '', at: 0 };
    let hasData = false;
    try {
      for await (const chunk of res.body) {
        s.bytes += chunk.byteLength;
        buf += decoder.decode(chunk, { stream: true });
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).replace(/\r$/, '');
          buf = buf.slice(nl + 1);
          if (line === '') {
            if (hasData) events.push({ ...cur, data: cur.data.replace(/\n$/, ''), at: performance.now() });
            cur = { event: 'message', data: '', id: cur.id, at: 0 };
            hasData = false;
          } else if (line.startsWith(':')) events.push({ event: '', data: '', id: '', comment: line.slice(1).trim(), at: performance.now() });
          else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') cur.event = value;
            else if (field === 'data') {
              cur.data += `${value}\n`;
              hasData = true;
            } else if (field === 'id') cur.id = value;
          }
        }
        for (const w of [...waiters]) w();
      }
    } catch {
      // aborted by close(), or the connection dropped
    }
    s.ended = true;
    for (const w of [...waiters]) w();
  })();
  return s;
}
