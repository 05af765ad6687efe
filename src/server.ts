/**
 * Starts NetWatch from a validated config: store, users, actors, HTTP server; returns a handle
 * that shuts everything down in order. main.ts calls it for the process; tests call it directly.
 */
import { randomBytes } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { startActors, type ActorOptions, type Actors } from './actors/system.js';
import { bootstrapUsers, browseUrl, logSetupUrl } from './auth/bootstrap.js';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import type { AppDeps } from './http/deps.js';
import { Metrics } from './metrics/metrics.js';
import { openStore } from './store/index.js';
import type { Db } from './store/db.js';
import { getOrCreateSetting } from './store/settings.js';
import { joinNodes, type NodeCoordinator } from './nodes/coordinator.js';

/** A running NetWatch. */
export interface Running {
  db: Db;
  actors: Actors;
  /** Port the HTTP server listens on (useful with PORT=0). */
  port: number;
  /** Stops probing, flushes results, closes HTTP and the database, within `deadlineMs`. */
  stop(deadlineMs?: number): Promise<void>;
}

/**
 * Starts everything.
 * @throws the store's error when the database cannot be opened or migrated
 */
export async function startNetWatch(config: Config, logs: { core: Logger; http: Logger }, actorOptions: ActorOptions = {}): Promise<Running> {
  const db = await openStore(config);
  logs.core.info({ store: db.dialect, ...(config.mysql ? { host: config.mysql.host, database: config.mysql.database } : { dataDir: config.dataDir }) }, 'store ready');
  // a duplicate live node name is refused before anything else happens (issue 10)
  let node: NodeCoordinator;
  try {
    node = await joinNodes(db, config, logs.core);
  } catch (err) {
    await db.close();
    throw err;
  }
  const setupToken = await bootstrapUsers(db, config, logs.core, Date.now());
  const sessionSecret = config.sessionSecret ?? (await getOrCreateSetting(db, 'session_secret', () => randomBytes(32).toString('base64url')));
  // Listen first: a taken port must fail before any probe is sent or setup URL is logged.
  const metrics = config.metricsToken ? new Metrics({ perTarget: config.metricsPerTarget }) : null;
  const deps: AppDeps = { config, db, log: logs.http, actors: null, sessionSecret, setup: { token: setupToken }, now: Date.now, metrics, node };
  const app = buildApp(deps);
  let server: ServerType;
  try {
    server = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    await db.close();
    throw err;
  }
  const actors = startActors(db, logs.core, {
    notify: { sessionSecret, publicUrl: config.publicUrl },
    auditRetentionMs: config.auditRetentionMs,
    node,
    ...actorOptions,
    metrics: metrics ?? undefined,
  });
  deps.actors = actors;
  const port = (server.address() as AddressInfo).port;
  logs.core.info({ url: browseUrl(config.host, port), host: config.host, port }, 'listening');
  if (setupToken) logSetupUrl(logs.core, setupToken, config.host, port);

  return {
    db,
    actors,
    port,
    async stop(deadlineMs = 9000) {
      const deadline = performance.now() + deadlineMs;
      const closed = new Promise<void>((r) => server.close(() => r()));
      if ('closeAllConnections' in server) server.closeAllConnections();
      await actors.shutdown(deadlineMs - 1000);
      // A database that hangs (locked tables, lost server) must not hold the process past the deadline.
      const rest = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)).unref());
      await Promise.race([closed, rest(deadline - performance.now() - 500)]);
      await Promise.race([db.close().catch((err: unknown) => logs.core.warn({ err }, 'closing the database failed')), rest(deadline - performance.now())]);
    },
  };
}
