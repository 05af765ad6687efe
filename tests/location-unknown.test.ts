/**
 * A `location` filter naming a location no target or node has is a typo: 400 on `location` naming
 * the known locations, on every route that filters by location (one check in the shared query
 * validator), on every store; a known location (of a target, the default, or a node's) is answered.
 */
import { SQL } from 'sql-template-strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTarget } from '../src/store/targets.js';
import { testApp } from './helpers/app.js';
import { STORES } from './helpers/stores.js';

const base = { host: '127.0.0.1', port: 9, intervalSeconds: 10, retentionValue: 1, retentionUnit: 'day' as const, timeoutMs: null, enabled: false };

describe.each(STORES)('unknown location filters on $name', (store) => {
  let s: Awaited<ReturnType<typeof store.open>>;
  let admin: Awaited<ReturnType<Awaited<ReturnType<typeof testApp>>['client']>>;
  let paths: (location: string) => string[];
  beforeAll(async () => {
    s = await store.open();
    const app = await testApp(s.db);
    admin = app.client();
    await admin.login('admin', 'correct horse');
    const a = await createTarget(s.db, { ...base, name: 'a', locations: ['site-a'] }, Date.now());
    await createTarget(s.db, { ...base, name: 'b', locations: [] }, Date.now());
    await s.db.run(SQL`INSERT INTO nodes (name, location, instance, version, store, started_at, active_from, heartbeat_at) VALUES ('n1', 'hub-x', 'i', 'v', 'sqlite', 1, 1, 1)`);
    const now = Date.now();
    paths = (l) => [
      `/api/targets?location=${l}`,
      `/api/targets/${a.id}/history?from=${now - 3_600_000}&to=${now}&location=${l}`,
      `/api/targets/${a.id}/results?from=${now - 3_600_000}&to=${now}&location=${l}`,
      `/api/targets/${a.id}/results.csv?from=${now - 3_600_000}&to=${now}&location=${l}`,
      `/api/charts/compare?ids=${a.id}&from=${now - 3_600_000}&to=${now}&location=${l}`,
      `/api/charts/wall?range=1h&location=${l}`,
      `/api/events/snapshot?location=${l}`,
      `/api/events/stream?location=${l}`,
    ];
  });
  afterAll(() => s.cleanup());

  it('answers 400 on location, naming the known locations, on every location-filtered route', async () => {
    for (const p of paths('site-b')) {
      const r = await admin.req('GET', p);
      expect(r.status, p).toBe(400);
      expect(r.json.fields, p).toEqual({ location: 'Unknown location "site-b"; known locations: default, hub-x, site-a.' });
    }
  });

  it('answers a known location: a target’s, the default, a node’s', async () => {
    for (const l of ['site-a', 'default', 'hub-x']) {
      for (const p of paths(l).filter((x) => !x.includes('/events/stream'))) expect((await admin.req('GET', p)).status, p).toBe(200);
    }
  });
});
