/**
 * A query parameter given twice (`?from=1&from=2`) is a 400 with a clear message on that field,
 * on every route that validates a query (one check in the shared validator, http/validate.ts):
 * the routes are read from the OpenAPI document, so a new route is covered too. On every store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTarget } from '../src/store/targets.js';
import { testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

interface Param {
  name: string;
  in: string;
}

describe.each(STORES)('repeated query parameters on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let admin: Awaited<ReturnType<Awaited<ReturnType<typeof testApp>>['client']>>;
  let id: number;
  beforeAll(async () => {
    s = await store.open();
    const app = await testApp(s.db);
    admin = app.client();
    await admin.login('admin', 'correct horse');
    id = (await createTarget(s.db, { name: 'a', host: '127.0.0.1', port: 9, intervalSeconds: 10, retentionValue: 1, retentionUnit: 'day', timeoutMs: null, enabled: false }, Date.now())).id;
  });
  afterAll(() => s.cleanup());

  it('answers 400 "give <name> once" on each query parameter of every GET route', async () => {
    const spec = (await admin.req('GET', '/api/openapi.json')).json as { paths: Record<string, Record<string, { parameters?: Param[] }>> };
    let checked = 0;
    for (const [path, ops] of Object.entries(spec.paths)) {
      const params = (ops.get?.parameters ?? []).filter((p) => p.in === 'query');
      const url = path.replace(/\{[^}]+\}/g, String(id));
      for (const p of params) {
        const r = await admin.req('GET', `${url}?${p.name}=1&${p.name}=2`);
        expect(r.status, `${url} ${p.name}`).toBe(400);
        expect(r.json, `${url} ${p.name}`).toMatchObject({ error: 'validation', fields: { [p.name]: `Give ${p.name} once (it was given 2 times).` } });
        checked++;
      }
    }
    // history, results, CSV, compare, wall, targets, sparklines, deliveries, audit, config, live …
    expect(checked).toBeGreaterThan(20);
  });

  it('a parameter the route does not take may repeat, as it may appear once', async () => {
    expect((await admin.req('GET', '/api/targets?utm=1&utm=2')).status).toBe(200);
  });
});
