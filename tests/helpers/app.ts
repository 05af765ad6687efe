/**
 * Builds the real Hono app in-process on a test store, with a cookie-keeping client
 * (requests go through `app.request`, no socket needed).
 */
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { hashPassword } from '../../src/auth/password.js';
import { buildApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/deps.js';
import type { Db } from '../../src/store/db.js';
import { createUser } from '../../src/store/users.js';

/** A client that keeps the session cookie between requests. */
export class Client {
  cookie = '';
  /** Sent as `Authorization: Bearer …` with every request when set (an API token, issue 14). */
  bearer = '';
  constructor(private readonly app: ReturnType<typeof buildApp>) {}

  /** Sends a request; a body object is sent as JSON. Returns status, parsed JSON (or null) and headers. */
  async req(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const auth: Record<string, string> = this.bearer ? { authorization: `Bearer ${this.bearer}` } : {};
    const init: RequestInit = { method, headers: { ...auth, ...headers, ...(this.cookie && { cookie: this.cookie }) } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await this.app.request(`http://localhost${path}`, init);
    const set = res.headers.get('set-cookie');
    if (set) {
      const pair = set.split(';')[0]!;
      this.cookie = pair.endsWith('=') ? '' : pair;
    }
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  }

  /** Logs in; throws unless 204. */
  async login(username: string, password: string) {
    const r = await this.req('POST', '/api/login', { username, password });
    if (r.status !== 204) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.json)}`);
  }
}

/** Options for {@link testApp}. */
export interface TestAppOptions {
  env?: Record<string, string>;
  setupToken?: string | null;
  now?: () => number;
  actors?: AppDeps['actors'];
  /** The host's interfaces the source-address check reads (default: the real ones). */
  interfaces?: AppDeps['interfaces'];
}

/** Builds the app on `db` with a user `admin` / `correct horse` unless `setupToken` is given. */
export async function testApp(db: Db, opts: TestAppOptions = {}) {
  const config: Config = loadConfig({ NETWATCH_DATA_DIR: '/tmp/netwatch-unused', ...opts.env });
  const deps: AppDeps = {
    config,
    db,
    log: pino({ level: 'silent' }),
    actors: opts.actors ?? null,
    sessionSecret: 'x'.repeat(40),
    setup: { token: opts.setupToken ?? null },
    now: opts.now ?? Date.now,
    interfaces: opts.interfaces,
  };
  if (opts.setupToken === undefined) await createUser(db, 'admin', await hashPassword('correct horse'), Date.now());
  const app = buildApp(deps, '/nonexistent-ui');
  return { app, deps, client: () => new Client(app) };
}
