/**
 * The API contract and its docs page (issue 14 §2), mounted at /api, no session needed:
 * - `GET /api/openapi.json` → the OpenAPI 3.1 document (./document.ts), built once on first request;
 * - `GET /api/docs` → Swagger UI (swagger-ui-dist) reading that document, served from our own
 *   origin under the strict CSP (security.ts): the page loads only `docs/swagger-ui.css`,
 *   `docs/swagger-ui-bundle.js` and `docs/init.js` (no inline script or style, no CDN);
 * - `GET /api/docs/:file` → those three files (404 for any other name).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { AppEnv } from '../deps.js';
import { openApiDocument } from './document.js';
import { doc } from './markers.js';

const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The docs page: relative URLs, so it works under NETWATCH_BASE_PATH too. */
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>NetWatch API</title>
    <link rel="stylesheet" href="docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/init.js"></script>
  </body>
</html>
`;

/** Starts Swagger UI on the document next to the page (a separate file: the CSP allows no inline script). */
const INIT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true, withCredentials: true });\n`;

const FILES: Record<string, { type: string; read: () => Promise<string | Buffer> }> = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', read: () => readFile(join(SWAGGER_DIR, 'swagger-ui.css')) },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', read: () => readFile(join(SWAGGER_DIR, 'swagger-ui-bundle.js')) },
  'init.js': { type: 'text/javascript; charset=utf-8', read: async () => INIT },
};
const fileName = z.object({ file: z.enum(Object.keys(FILES) as [string, ...string[]]) });

/** Builds the contract routes. @param app the whole app, read on the first request (all routes are registered by then) */
export function openApiRoutes(app: () => Hono<AppEnv>, basePath: string) {
  const r = new Hono<AppEnv>();
  let document: Promise<Record<string, unknown>> | undefined;
  r.get(
    '/openapi.json',
    doc({
      summary: 'This document (OpenAPI 3.1)',
      tags: ['docs'],
      ok: z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
    }),
    async (c) => {
      document ??= openApiDocument(app(), basePath);
      return c.json(await document);
    },
  );
  r.get('/docs', doc({ summary: 'Swagger UI for this document', tags: ['docs'], media: 'text/html' }), (c) => c.html(PAGE));
  r.get('/docs/:file', doc({ summary: 'A file of the docs page', tags: ['docs'], media: ['text/css', 'text/javascript'], errors: [404] }), async (c) => {
    const parsed = fileName.safeParse(c.req.param());
    if (!parsed.success) throw new NotFoundError('File');
    const f = FILES[parsed.data.file]!;
    const body = await f.read();
    return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, { 'Content-Type': f.type, 'Cache-Control': 'public, max-age=3600' });
  });
  return r;
}
