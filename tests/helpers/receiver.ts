/** A loopback HTTP receiver for notification tests: records each request; can answer late or with an error. */
import http from 'node:http';
import { once } from 'node:events';

/** One request the receiver got. */
export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Starts a receiver on 127.0.0.1. `delayMs` and `status` may be changed while it runs. */
export async function receiver() {
  const got: Received[] = [];
  const state = { delayMs: 0, status: 200 };
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    let body = '';
    req
      .setEncoding('utf8')
      .on('data', (c: string) => (body += c))
      .on('end', () => {
        got.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const t = setTimeout(() => {
          timers.delete(t);
          res.writeHead(state.status).end('ok');
        }, state.delayMs);
        timers.add(t);
      });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    got,
    state,
    /** Parsed JSON bodies of the requests so far. */
    json: () => got.map((r) => JSON.parse(r.body) as Record<string, unknown>),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
