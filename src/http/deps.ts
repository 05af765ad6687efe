/** What the HTTP layer is given by main.ts (or a test): everything it may touch. */
import type { Logger } from 'pino';
import type { Actors } from '../actors/system.js';
import type { Config } from '../config.js';
import type { SessionUser } from '../store/sessions.js';
import type { Db } from '../store/db.js';
import type { InterfaceLister } from './host-addresses.js';
import type { Metrics } from '../metrics/metrics.js';
import type { NodeCoordinator } from '../nodes/coordinator.js';
import type { LiveService } from '../live/service.js';

/** Dependencies of the Hono app. */
export interface AppDeps {
  config: Config;
  db: Db;
  /** Logger for access and error lines (HTTP_LOG_LEVEL). */
  log: Logger;
  /** The running actors; null in tests that exercise the API alone. */
  actors: (Pick<Actors, 'reconcile' | 'writer' | 'latest' | 'lag' | 'local'> & { states?: Actors['states'] }) | null;
  /** Secret that seals session cookies (≥ 32 chars). */
  sessionSecret: string;
  /** First-run setup token while no user exists, else null. */
  setup: { token: string | null };
  /** Current time, UTC epoch ms (tests may move it). */
  now: () => number;
  /** The host's interfaces, for the source address check (default `os.networkInterfaces`; tests inject theirs). */
  interfaces?: InterfaceLister | undefined;
  /** Prometheus metrics served at /metrics when `config.metricsToken` is set; absent → /metrics is 404. */
  metrics?: Metrics | null;
  /** This node (issue 10), for the nodes API; absent in tests that exercise the API alone. */
  node?: Pick<NodeCoordinator, 'name' | 'location' | 'single' | 'probing'> | undefined;
  /** The live dashboard's service (issue 12 §4); absent → the app makes its own. Given by tests and the bench to reach its hub. */
  live?: LiveService | undefined;
}

/** Hono environment: variables set by middleware. */
export interface AppEnv {
  Variables: {
    user: SessionUser;
    /** The database, for checks the shared validators make (a query's `location`: validate.ts); set for every /api request. */
    db: Db;
  };
}
