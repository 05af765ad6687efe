/**
 * NetWatch configuration: read from the environment once, validated, frozen, then passed down.
 * Nothing else in NetWatch reads `process.env`.
 */
import { z } from 'zod';
import ms from 'ms';
import { resolve } from 'node:path';
import { parseHost } from './domain/host-rules.js';
import { username } from './domain/user-rules.js';
import { hostname } from 'node:os';
import { DEFAULT_LOCATION, locationName, nodeName } from './domain/location-rules.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** MySQL/MariaDB connection settings (present only when `MYSQL_HOST` is set). */
export interface MysqlConfig {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** API connections in the pool (`MYSQL_POOL_SIZE`, 1–100, default 10); the writer and the node heartbeat have one more each of their own. */
  readonly poolSize: number;
}

/** The validated, frozen configuration. Durations are in ms. */
export interface Config {
  /** MySQL settings, or null to use the embedded SQLite file `<dataDir>/netwatch.db`. */
  readonly mysql: MysqlConfig | null;
  /** Absolute path of the data directory (created if missing). */
  readonly dataDir: string;
  /** User created at start when missing (its password is never changed or logged). */
  readonly rootUser: { readonly username: string; readonly password: string } | null;
  readonly coreLogLevel: (typeof LOG_LEVELS)[number];
  readonly httpLogLevel: (typeof LOG_LEVELS)[number];
  /** HTTP listen address and port. */
  readonly host: string;
  readonly port: number;
  /** Session cookie sealing secret (≥ 32 chars), or null to use the one stored in the database. */
  readonly sessionSecret: string | null;
  /** Session lifetime, ms. */
  readonly sessionTtlMs: number;
  /**
   * Behind a trusted proxy: take the client address from the last X-Forwarded-For entry and the
   * browser's scheme from X-Forwarded-Proto (Secure cookies, CSRF origin).
   */
  readonly trustProxy: boolean;
  /**
   * Bearer token for `GET /metrics` (`NETWATCH_METRICS_TOKEN`, ≥ 16 characters), or null: then
   * /metrics answers 404, so metrics are never open by accident.
   */
  readonly metricsToken: string | null;
  /** Export per-target series on /metrics (`NETWATCH_METRICS_PER_TARGET`, default true). */
  readonly metricsPerTarget: boolean;
  /**
   * URL path prefix NetWatch is served under (`NETWATCH_BASE_PATH`, e.g. `/netwatch/` behind a
   * shared proxy), normalised without the trailing slash (`/netwatch`); `''` = served at `/`.
   */
  readonly basePath: string;
  /**
   * Where users reach NetWatch (`NETWATCH_PUBLIC_URL`, no trailing slash), for links in
   * notifications (issue 11); null leaves the link out.
   */
  readonly publicUrl: string | null;
  /** How long audit entries are kept (`NETWATCH_AUDIT_RETENTION`, 1d–3650d, default 365d: issue 14 "default 1 year"), ms. */
  readonly auditRetentionMs: number;
  /**
   * This node's name (`NETWATCH_NODE_NAME`, default the host name cut to the node-name rule); unique
   * among live nodes sharing one database (issue 10), refused at start otherwise.
   */
  readonly nodeName: string;
  /** The location (hub) this node probes from (`NETWATCH_LOCATION`, default `default`). */
  readonly location: string;
  /**
   * Live event streams (`GET /api/events/stream`) open at once, at most (`NETWATCH_MAX_EVENT_STREAMS`,
   * 1–10,000, default {@link DEFAULT_MAX_EVENT_STREAMS}). Each holds a socket out of the descriptors
   * kept in reserve beside the probe budget (actors/fd-limit.ts RESERVE, 128), so the default stays
   * well under it; one more gets 503 with Retry-After.
   */
  readonly maxEventStreams: number;
}

/** Default cap on open live event streams: half the descriptor reserve (fd-limit.ts RESERVE = 128) that HTTP, the database and logs share. */
export const DEFAULT_MAX_EVENT_STREAMS = 64;

/** The host name made into a valid node name (invalid characters → `-`, at most 64 characters). */
export function defaultNodeName(host = hostname()): string {
  const cleaned = host
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return cleaned || 'netwatch';
}

const optional = z.string().optional();
const port = (name: string) =>
  z
    .string()
    .regex(/^\d{1,5}$/, { error: `${name} must be a whole number 1–65535` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, { error: `${name} must be a whole number 1–65535` });

const schema = z.object({
  MYSQL_HOST: optional,
  MYSQL_PORT: port('MYSQL_PORT').default(3306),
  MYSQL_DB: optional,
  MYSQL_USER: optional,
  MYSQL_PASSWORD: optional,
  MYSQL_POOL_SIZE: z
    .string()
    .regex(/^\d{1,3}$/, { error: 'MYSQL_POOL_SIZE must be a whole number 1–100' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, { error: 'MYSQL_POOL_SIZE must be a whole number 1–100' })
    .default(10),
  NETWATCH_DATA_DIR: z.string().min(1).default('./data'),
  ROOT_USER: username.optional(),
  ROOT_PASSWORD: optional,
  CORE_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  HTTP_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  HOST: z
    .string()
    .min(1)
    .default('0.0.0.0')
    .refine((h) => !('error' in parseHost(h)), { error: 'HOST must be an IP address or host name to listen on, e.g. 0.0.0.0, ::, 127.0.0.1' }),
  PORT: port('PORT').default(8080),
  NETWATCH_SESSION_SECRET: z.string().min(32, { error: 'NETWATCH_SESSION_SECRET must be at least 32 characters' }).optional(),
  NETWATCH_NODE_NAME: nodeName.optional(),
  NETWATCH_LOCATION: locationName.default(DEFAULT_LOCATION),
  NETWATCH_TRUST_PROXY: z.enum(['true', 'false'], { error: 'NETWATCH_TRUST_PROXY must be true or false' }).default('false'),
  NETWATCH_METRICS_TOKEN: z
    .string()
    .min(16, { error: 'NETWATCH_METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 32)' })
    // the bearer token syntax, b64token (RFC 6750 §2.1)
    .regex(/^[A-Za-z0-9._~+/-]+=*$/, { error: 'NETWATCH_METRICS_TOKEN may hold only letters, digits and - . _ ~ + / (then = padding), RFC 6750 §2.1' })
    .optional(),
  NETWATCH_METRICS_PER_TARGET: z.enum(['true', 'false'], { error: 'NETWATCH_METRICS_PER_TARGET must be true or false' }).default('true'),
  NETWATCH_BASE_PATH: z
    .string()
    .regex(/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/, {
      error: 'NETWATCH_BASE_PATH must be a URL path like /netwatch/ (segments of letters, digits and - . _ ~, not starting with a dot)',
    })
    .transform((p) => p.replace(/\/$/, ''))
    .default(''),
  NETWATCH_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'NETWATCH_PUBLIC_URL must be an http:// or https:// URL, e.g. https://netwatch.example.com' }).optional(),
  NETWATCH_SESSION_TTL: z
    .string()
    .default('12h')
    .transform((s, ctx) => {
      const value = ms(s as ms.StringValue);
      // RFC 6265bis §5.6.2 caps a cookie's Max-Age at 400 days
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 60_000 || value > 400 * 86_400_000) {
        ctx.addIssue({ code: 'custom', message: 'NETWATCH_SESSION_TTL must be a duration from 1m to 400d, e.g. 30m, 12h, 7d' });
        return z.NEVER;
      }
      return value;
    }),
  NETWATCH_MAX_EVENT_STREAMS: z
    .string()
    .regex(/^\d{1,5}$/, { error: 'NETWATCH_MAX_EVENT_STREAMS must be a whole number 1–10000' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 10_000, { error: 'NETWATCH_MAX_EVENT_STREAMS must be a whole number 1–10000' })
    .default(DEFAULT_MAX_EVENT_STREAMS),
  NETWATCH_AUDIT_RETENTION: z
    .string()
    .default('365d')
    .transform((s, ctx) => {
      const value = ms(s as ms.StringValue);
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 86_400_000 || value > 3650 * 86_400_000) {
        ctx.addIssue({ code: 'custom', message: 'NETWATCH_AUDIT_RETENTION must be a duration from 1d to 3650d, e.g. 90d, 365d' });
        return z.NEVER;
      }
      return value;
    }),
});

/**
 * Rules across variables, checked on the raw (cleaned) strings so they are reported together
 * with the per-variable problems instead of only once those are fixed.
 */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  if (env.MYSQL_HOST?.trim()) {
    for (const key of ['MYSQL_DB', 'MYSQL_USER'] as const) {
      if (!env[key]) out.push(`${key}: ${key} is required when MYSQL_HOST is set`);
    }
    if (env.MYSQL_PASSWORD === undefined) {
      out.push('MYSQL_PASSWORD: MYSQL_PASSWORD is required when MYSQL_HOST is set (set it empty for no password)');
    }
  }
  if (env.ROOT_USER && !env.ROOT_PASSWORD) out.push('ROOT_PASSWORD: ROOT_PASSWORD is required when ROOT_USER is set');
  if (env.ROOT_PASSWORD && !env.ROOT_USER) out.push('ROOT_USER: ROOT_USER is required when ROOT_PASSWORD is set');
  if (env.ROOT_PASSWORD !== undefined && env.ROOT_USER && (env.ROOT_PASSWORD.length < 8 || env.ROOT_PASSWORD.length > 256)) {
    out.push('ROOT_PASSWORD: ROOT_PASSWORD must be 8–256 characters');
  }
  return out;
}

/** Thrown by {@link loadConfig}; `problems` holds one line per invalid variable. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the configuration from an environment map (normally `process.env`).
 * Empty strings count as unset, except `MYSQL_PASSWORD` where empty means "no password".
 * @throws {ConfigError} listing every problem at once
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    cleaned[key] = value === '' && key !== 'MYSQL_PASSWORD' ? undefined : value;
  }
  const parsed = schema.safeParse(cleaned);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => (i.path.length ? `${String(i.path[0])}: ${i.message}` : i.message));
  problems.push(...crossFieldProblems(cleaned));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const config: Config = {
    mysql: e.MYSQL_HOST?.trim()
      ? Object.freeze({
          host: e.MYSQL_HOST.trim(),
          port: e.MYSQL_PORT,
          database: e.MYSQL_DB ?? '',
          user: e.MYSQL_USER ?? '',
          password: e.MYSQL_PASSWORD ?? '',
          poolSize: e.MYSQL_POOL_SIZE,
        })
      : null,
    dataDir: resolve(e.NETWATCH_DATA_DIR),
    rootUser: e.ROOT_USER && e.ROOT_PASSWORD ? Object.freeze({ username: e.ROOT_USER, password: e.ROOT_PASSWORD }) : null,
    coreLogLevel: e.CORE_LOG_LEVEL,
    httpLogLevel: e.HTTP_LOG_LEVEL,
    host: e.HOST,
    port: e.PORT,
    sessionSecret: e.NETWATCH_SESSION_SECRET ?? null,
    sessionTtlMs: e.NETWATCH_SESSION_TTL,
    trustProxy: e.NETWATCH_TRUST_PROXY === 'true',
    metricsToken: e.NETWATCH_METRICS_TOKEN ?? null,
    metricsPerTarget: e.NETWATCH_METRICS_PER_TARGET === 'true',
    basePath: e.NETWATCH_BASE_PATH,
    publicUrl: e.NETWATCH_PUBLIC_URL ? e.NETWATCH_PUBLIC_URL.replace(/\/+$/, '') : null,
    auditRetentionMs: e.NETWATCH_AUDIT_RETENTION,
    nodeName: e.NETWATCH_NODE_NAME ?? defaultNodeName(),
    location: e.NETWATCH_LOCATION,
    maxEventStreams: e.NETWATCH_MAX_EVENT_STREAMS,
  };
  return Object.freeze(config);
}
