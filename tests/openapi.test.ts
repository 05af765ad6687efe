/**
 * The API contract (issue 14 §2) on every store:
 * - every route the app answers (Hono's `app.routes`) is in GET /api/openapi.json, and the document
 *   names nothing the app does not answer;
 * - the document is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator);
 * - for every operation, a real request with known data: its query and JSON body validate against
 *   the document's parameter and request schemas, and the response's status is documented and its
 *   body validates against that response's schema (ajv, JSON Schema 2020-12), for successes and for
 *   the per-field 400 error shape;
 * - /api/docs is Swagger UI from our own origin under the CSP (no inline script).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

type Doc = { paths: Record<string, Record<string, Op>>; components: { responses: Record<string, Resp> } };
type Op = { parameters?: { in: string; name: string; required?: boolean; schema: object }[]; requestBody?: { content: Record<string, unknown> }; responses: Record<string, Resp | { $ref: string }> };
type Resp = { description: string; content?: Record<string, { schema: object }> };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const toOpenApi = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

describe.each(STORES)('OpenAPI contract on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let app: Awaited<ReturnType<typeof testApp>>;
  let admin: ReturnType<typeof app.client>;
  let doc: Doc;
  let ajv: Ajv2020;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    s = await store.open();
    app = await testApp(s.db);
    admin = app.client();
    await admin.login('admin', 'correct horse');
    const r = await app.client().req('GET', '/api/openapi.json'); // public: no session needed
    expect(r.status).toBe(200);
    doc = r.json;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: 'openapi' });
    // known data: a target with one stored result, a user, a token, a channel, a maintenance window
    const t = (await admin.req('POST', '/api/targets', { name: 'Contract', host: '127.0.0.1', port: 9, intervalSeconds: 60, retentionValue: 1, retentionUnit: 'day', locations: ['default'] })).json;
    ids.target = t.id;
    const at = Date.now() - 120_000;
    await s.db.tx((tx) =>
      tx.insertResults([{ targetId: t.id, startedAt: at, outcome: 'refused', connectMs: null, dnsMs: null, address: '127.0.0.1', localPort: 40000, errorCode: 'ECONNREFUSED', scheduledAt: at }]),
    );
    ids.user = (await admin.req('POST', '/api/users', { username: 'contract-viewer', password: 'viewer password 1', role: 'viewer' })).json.id;
    ids.token = (await admin.req('POST', '/api/tokens', { name: 'contract' })).json.id;
    ids.channel = (await admin.req('POST', '/api/channels', { name: 'contract', kind: 'ntfy', config: { url: 'http://127.0.0.1:9/topic' } })).json.id;
    ids.window = (await admin.req('POST', '/api/maintenance', { name: 'contract', targetId: t.id, startsAt: at, endsAt: at + 60_000 })).json.id;
  });
  afterAll(() => s.cleanup());

  it('documents every route the app answers, and nothing else', () => {
    const answered = new Set(app.app.routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*')).map((r) => `${r.method.toLowerCase()} ${toOpenApi(r.path)}`));
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, item]) =>
        Object.keys(item)
          .filter((m) => METHODS.includes(m))
          .map((m) => `${m} ${p}`),
      ),
    );
    expect([...answered].filter((k) => !documented.has(k))).toEqual([]);
    expect([...documented].filter((k) => !answered.has(k))).toEqual([]);
    expect(answered.size).toBeGreaterThan(45);
  });

  it('is a valid OpenAPI 3.1 document, with both auth schemes and the error shape', async () => {
    const res = await new Validator().validate(structuredClone(doc) as never);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect((doc as any).openapi).toMatch(/^3\.1\./);
    expect(Object.keys((doc as any).components.securitySchemes)).toEqual(expect.arrayContaining(['session', 'token']));
    expect(doc.paths['/api/targets']!.get!).toMatchObject({ security: [{ session: [] }, { token: [] }] });
    expect(doc.paths['/api/login']!.post!).not.toHaveProperty('security');
    expect((doc as any).components.schemas.Error.required).toEqual(['error', 'message']);
  });

  /** One sample request per operation: path with known ids, query, JSON body, and who sends it. */
  const samples = (): Record<string, { path?: string; query?: Record<string, string>; body?: unknown; raw?: { type: string; text: string } }> => {
    const t = ids.target!;
    const now = Date.now();
    return {
      'get /api/health': {},
      'post /api/login': { body: { username: 'admin', password: 'correct horse' } },
      'post /api/logout': {},
      'get /api/me': {},
      'get /api/setup': {},
      'post /api/setup': { body: { token: 'nope', username: 'someone', password: 'some password 1' } },
      'get /api/targets': { query: { q: 'Contract', enabled: 'true' } },
      'post /api/targets': { body: { name: 'Sample', host: '127.0.0.1', port: 10, intervalSeconds: 30, retentionValue: 2, retentionUnit: 'hour', enabled: false, timeoutMs: null } },
      'get /api/targets/{id}': { path: `/api/targets/${t}` },
      'put /api/targets/{id}': { path: `/api/targets/${t}`, body: { port: 11 } },
      'delete /api/targets/{id}': { path: '/api/targets/SAMPLE' },
      'get /api/targets/{id}/history': { path: `/api/targets/${t}/history`, query: { from: String(now - 3_600_000), to: String(now), step: '60' } },
      'get /api/targets/{id}/results': { path: `/api/targets/${t}/results`, query: { limit: '10' } },
      'get /api/targets/{id}/wire': { path: `/api/targets/${t}/wire` },
      'get /api/targets/{id}/results.csv': { path: `/api/targets/${t}/results.csv`, query: { from: String(now - 3_600_000) } },
      'get /api/targets/{id}/changes': { path: `/api/targets/${t}/changes`, query: { limit: '5' } },
      'get /api/targets/{id}/channels': { path: `/api/targets/${t}/channels` },
      'put /api/targets/{id}/channels': { path: `/api/targets/${t}/channels`, body: { channelIds: [ids.channel] } },
      'get /api/sparklines': { query: { ids: String(t), minutes: '5' } },
      'get /api/users': { query: { q: 'contract' } },
      'post /api/users': { body: { username: 'sample-user', password: 'sample password 1', role: 'viewer' } },
      'get /api/users/{id}': { path: `/api/users/${ids.user}` },
      'put /api/users/{id}': { path: `/api/users/${ids.user}`, body: { role: 'viewer' } },
      'delete /api/users/{id}': { path: '/api/users/SAMPLE' },
      'get /api/tokens': { query: { all: 'true' } },
      'post /api/tokens': { body: { name: 'sample', expiresAt: now + 86_400_000 } },
      'delete /api/tokens/{id}': { path: `/api/tokens/${ids.token}` },
      'get /api/audit': { query: { limit: '20' } },
      'get /api/config': { query: { format: 'json', users: 'true' } },
      'post /api/config': {
        query: { dryRun: 'true' },
        raw: {
          type: 'application/yaml',
          text: 'version: 1\ntargets:\n  - name: Contract\n    host: 127.0.0.1\n    port: 12\n    intervalSeconds: 60\n    retentionValue: 1\n    retentionUnit: day\n',
        },
      },
      'get /api/events': { query: { targetId: String(t), limit: '10' } },
      'get /api/outages': { query: { targetId: String(t) } },
      'get /api/deliveries': { query: { limit: '10' } },
      'get /api/channels': {},
      'post /api/channels': { body: { name: 'sample', kind: 'ntfy', config: { url: 'http://127.0.0.1:9/sample' } } },
      'get /api/channels/{id}': { path: `/api/channels/${ids.channel}` },
      'put /api/channels/{id}': { path: `/api/channels/${ids.channel}`, body: { name: 'contract', kind: 'ntfy', isDefault: false, config: { url: 'http://127.0.0.1:9/topic2' } } },
      'delete /api/channels/{id}': { path: '/api/channels/SAMPLE' },
      'post /api/channels/{id}/test': { path: `/api/channels/${ids.channel}/test` },
      'get /api/maintenance': {},
      'post /api/maintenance': { body: { name: 'sample', targetId: null, startsAt: now, endsAt: now + 60_000, weekly: true } },
      'put /api/maintenance/{id}': { path: `/api/maintenance/${ids.window}`, body: { name: 'contract 2', targetId: t, startsAt: now, endsAt: now + 120_000 } },
      'delete /api/maintenance/{id}': { path: '/api/maintenance/SAMPLE' },
      'get /api/charts/compare': { query: { ids: String(t), step: '60' } },
      'get /api/charts/wall': { query: { range: '1h' } },
      'get /api/nodes': {},
      'get /api/events/snapshot': {},
      // a cursor of another process: one resync event, then the stream ends
      'get /api/events/stream': { query: { after: 'zz.1' } },
      'delete /api/nodes/{name}': { path: '/api/nodes/no-such-node' },
      'get /api/openapi.json': {},
      'get /api/docs': {},
      'get /api/docs/{file}': { path: '/api/docs/init.js' },
    };
  };

  const schemaAt = (pointer: string) => {
    const v = ajv.getSchema(`openapi#${pointer}`);
    if (!v) throw new Error(`no schema at ${pointer}`);
    return v;
  };
  const check = (pointer: string, value: unknown) => {
    const v = schemaAt(pointer);
    return v(value) ? [] : (v.errors ?? []).map((e) => `${pointer} ${e.instancePath} ${e.message}`);
  };

  /** Validates a real exchange against the document; returns every mismatch. */
  async function exchange(key: string, sample: ReturnType<typeof samples>[string]) {
    const [method, path] = key.split(' ') as [string, string];
    const op = doc.paths[path]![method]!;
    const base = `/paths/${esc(path)}/${method}`;
    const problems: string[] = [];
    const query = sample.query ?? {};
    for (const [name, value] of Object.entries(query)) {
      const i = (op.parameters ?? []).findIndex((p) => p.in === 'query' && p.name === name);
      if (i < 0) problems.push(`${key}: query ${name} not documented`);
      else problems.push(...check(`${base}/parameters/${i}/schema`, value));
    }
    for (const p of op.parameters ?? []) if (p.in === 'query' && p.required && !(p.name in query)) problems.push(`${key}: required ${p.name} not sent`);
    if (sample.body !== undefined) {
      if (!op.requestBody?.content['application/json']) problems.push(`${key}: JSON body not documented`);
      else problems.push(...check(`${base}/requestBody/content/application~1json/schema`, sample.body));
    }
    if (sample.raw && !op.requestBody?.content[sample.raw.type]) problems.push(`${key}: ${sample.raw.type} body not documented`);
    const qs = new URLSearchParams(query).toString();
    const url = `${sample.path ?? path}${qs ? `?${qs}` : ''}`;
    const res = sample.raw ? await admin.req(method.toUpperCase(), url, sample.raw.text, { 'content-type': sample.raw.type }) : await admin.req(method.toUpperCase(), url, sample.body);
    if (res.status === 404 && res.json?.message?.includes('API route')) problems.push(`${key}: the app does not answer it`);
    let resp = op.responses[String(res.status)];
    let pointer = `${base}/responses/${res.status}`;
    if (resp && '$ref' in resp) {
      const name = resp.$ref.split('/').pop()!;
      pointer = `/components/responses/${name}`;
      resp = doc.components.responses[name]!;
    }
    if (!resp) return { status: res.status, problems: [...problems, `${key}: status ${res.status} not documented (${JSON.stringify(res.json)?.slice(0, 200)})`] };
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
    if (res.status !== 204) {
      if (!resp.content?.[type]) problems.push(`${key}: ${res.status} ${type} not documented`);
      else if (type === 'application/json') problems.push(...check(`${pointer}/content/application~1json/schema`, res.json));
    }
    return { status: res.status, problems };
  }

  it('a sample request and its response per operation validate against the document', async () => {
    const all = samples();
    const documented = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m} ${p}`),
    );
    expect(documented.filter((k) => !(k in all))).toEqual([]);
    // deletes go last, each on a row made for it; logout last of all (it ends the session)
    const order = documented.sort(
      (a, b) => Number(a.startsWith('delete') || a.includes('logout')) - Number(b.startsWith('delete') || b.includes('logout')) || Number(a.includes('logout')) - Number(b.includes('logout')),
    );
    const statuses: Record<string, number> = {};
    const problems: string[] = [];
    for (const key of order) {
      const sample = { ...all[key]! };
      if (sample.path?.endsWith('/SAMPLE')) {
        const kind = sample.path.split('/')[2]!;
        const post = all[`post /api/${kind}`]!.body as Record<string, unknown>;
        // names of users and channels are unique
        const body = kind === 'users' ? { username: 'to-delete', password: 'delete password 1' } : kind === 'channels' ? { ...post, name: 'to-delete' } : post;
        const made = (await admin.req('POST', `/api/${kind}`, body)).json;
        sample.path = sample.path.replace('SAMPLE', String(made.id));
      }
      const r = await exchange(key, sample);
      statuses[key] = r.status;
      problems.push(...r.problems);
    }
    expect(problems).toEqual([]);
    // the samples succeed (setup is done: 403; a node that does not exist: 404)
    const failed = Object.entries(statuses).filter(([k, v]) => v >= 300 && !['post /api/setup', 'delete /api/nodes/{name}'].includes(k));
    expect(failed).toEqual([]);
  });

  it('a 400 per field, a 401 and a 404 validate against the documented error responses', async () => {
    await admin.login('admin', 'correct horse'); // the previous test logged out
    const bad = await exchange('post /api/targets', { body: { name: '', host: '127.0.0.1', port: 70000, intervalSeconds: 30, retentionValue: 1, retentionUnit: 'day' } });
    expect(bad).toEqual({ status: 400, problems: expect.arrayContaining([expect.stringContaining('/requestBody/')]) });
    expect(bad.problems.filter((p) => !p.includes('/requestBody/'))).toEqual([]); // only the request broke the schema
    expect((await exchange('get /api/targets/{id}', { path: '/api/targets/999999' })).status).toBe(404);
    const q = await exchange('get /api/targets/{id}/history', { path: `/api/targets/${ids.target}/history`, query: { step: 'often' } });
    expect(q.status).toBe(400);
    const anon = app.client();
    const r = await anon.req('GET', '/api/targets');
    expect(r.status).toBe(401);
    expect(check('/components/responses/Unauthorized/content/application~1json/schema', r.json)).toEqual([]);
    expect(doc.paths['/api/targets']!.get!.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
  });

  it('/api/docs is Swagger UI from our own origin: no inline script, its files served here, under the CSP', async () => {
    const page = await app.client().req('GET', '/api/docs');
    expect(page.status).toBe(200);
    const html = String(page.json);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim()).toBe('');
      expect(attrs).toMatch(/src="docs\/[\w.-]+\.js"/);
    }
    for (const src of [...html.matchAll(/(?:src|href)="(docs\/[^"]+)"/g)].map((m) => m[1]!)) {
      const f = await app.client().req('GET', `/api/${src}`);
      expect(f.status, src).toBe(200);
    }
    expect((await app.client().req('GET', '/api/docs/package.json')).status).toBe(404);
    expect((await app.client().req('GET', '/api/docs/init.js')).json).toContain("url: 'openapi.json'");
  });
});
