/**
 * Response shapes of the API as zod schemas, for the OpenAPI document only (issue 14 §2): requests
 * are validated by the routes' own schemas (domain/*-rules.ts, routes/*.ts), which the document
 * takes as they are. Each shape mirrors a TypeScript type named in its comment; the contract test
 * (tests/openapi.test.ts) checks real responses against them. Times are UTC epoch ms.
 */
import { z } from 'zod';
import { OUTCOMES } from '../../domain/types.js';

const ms = z.number().int().describe('UTC epoch ms');
const nullableMs = ms.nullable();
const outcome = z.enum(OUTCOMES);

/** `{error, message, fields?}` of every 4xx/5xx (http/error-handler.ts). */
export const ErrorBody = z.object({
  error: z.string().describe('Machine-readable code: validation, unauthorized, forbidden, not_found, conflict, too_large, rate_limited, database_unavailable, …'),
  message: z.string().describe('One sentence for people.'),
  fields: z.record(z.string(), z.string()).optional().describe('400 validation (and a 409 on a taken name): a message per field path, e.g. `port` or `targets.3.port`; `_` for the body as a whole.'),
});

/** domain/types.ts `Target`. */
export const Target = z
  .object({
    id: z.number().int(),
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    intervalSeconds: z.number().int(),
    timeoutMs: z.number().int().nullable(),
    effectiveTimeoutMs: z.number().int(),
    retentionValue: z.number().int(),
    retentionUnit: z.string(),
    enabled: z.boolean(),
    sourceAddress: z.string().nullable(),
    sourcePortMin: z.number().int().nullable(),
    sourcePortMax: z.number().int().nullable(),
    closeMode: z.string(),
    addressFamily: z.string(),
    addressPolicy: z.string(),
    failureThreshold: z.number().int(),
    recoveryThreshold: z.number().int(),
    locations: z.array(z.string()),
    createdAt: ms,
    updatedAt: ms,
  })
  .meta({ id: 'Target' });

/** domain/types.ts `ProbeResult`. */
export const ProbeResult = z
  .object({
    targetId: z.number().int(),
    startedAt: ms,
    outcome,
    connectMs: z.number().nullable(),
    dnsMs: z.number().nullable(),
    address: z.string().nullable(),
    localPort: z.number().int().nullable(),
    errorCode: z.string().nullable(),
    scheduledAt: nullableMs.optional(),
    localAddress: z.string().nullable().optional(),
    closeMode: z.string().nullable().optional(),
    addresses: z
      .array(z.object({ address: z.string(), outcome, startedAt: ms, connectMs: z.number().nullable(), localPort: z.number().int().nullable(), errorCode: z.string().nullable() }))
      .nullable()
      .optional(),
    location: z.string().nullable().optional(),
    node: z.string().nullable().optional(),
  })
  .meta({ id: 'ProbeResult' });

/** One entry of `GET /api/targets` (routes/targets.ts). */
export const TargetListItem = Target.extend({
  state: z.enum(['up', 'down', 'unknown']),
  stateSince: nullableMs,
  flapping: z.boolean(),
  lastResult: ProbeResult.nullable(),
  ratio24h: z.number().nullable(),
  byLocation: z.array(z.object({ location: z.string(), lastResult: ProbeResult.nullable() })),
}).meta({ id: 'TargetListItem' });

/** domain/types.ts `User`. */
export const User = z.object({ id: z.number().int(), username: z.string(), role: z.enum(['admin', 'viewer']), createdAt: ms }).meta({ id: 'User' });

/** store/api-tokens.ts `ApiToken` without `userId` (own tokens). */
export const Token = z
  .object({
    id: z.number().int(),
    name: z.string(),
    createdAt: ms,
    expiresAt: nullableMs,
    lastUsedAt: nullableMs,
    lastUsedFrom: z.string().nullable(),
    userId: z.number().int().optional(),
    username: z.string().optional(),
  })
  .meta({ id: 'Token' });

/** domain/channel-rules.ts `Channel` (secrets only by name). */
export const Channel = z
  .object({
    id: z.number().int(),
    name: z.string(),
    kind: z.string(),
    isDefault: z.boolean(),
    config: z.record(z.string(), z.unknown()),
    secretsSet: z.array(z.string()),
    createdAt: ms,
    updatedAt: ms,
  })
  .meta({ id: 'Channel' });

/** domain/channel-rules.ts `Delivery`. */
export const Delivery = z
  .object({
    id: z.number().int(),
    channelId: z.number().int(),
    targetId: z.number().int().nullable(),
    eventId: z.number().int().nullable(),
    kind: z.string(),
    status: z.enum(['pending', 'sent', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: ms,
    lastError: z.string().nullable(),
  })
  .meta({ id: 'Delivery' });

/** domain/maintenance.ts `MaintenanceWindow`. */
export const MaintenanceWindow = z
  .object({ id: z.number().int(), name: z.string(), targetId: z.number().int().nullable(), startsAt: ms, endsAt: ms, weekly: z.boolean(), createdAt: ms, updatedAt: ms })
  .meta({ id: 'MaintenanceWindow' });

/** domain/target-state.ts `StateEvent`. */
export const StateEvent = z
  .object({ id: z.number().int(), targetId: z.number().int(), location: z.string(), inMaintenance: z.boolean(), from: z.string(), to: z.string(), at: ms })
  .meta({ id: 'StateEvent' });

/** domain/target-state.ts `Outage`. */
export const Outage = z
  .object({
    targetId: z.number().int(),
    location: z.string(),
    start: ms,
    end: nullableMs,
    durationMs: z.number(),
    cause: z.object({ outcome, errorCode: z.string().nullable() }),
    maintenance: z.boolean(),
  })
  .meta({ id: 'Outage' });

/** store/audit.ts `AuditEntry`; `changes` maps a field to `{before, after}` (secrets masked) or holds an import's counts. */
export const AuditPage = z
  .object({
    entries: z.array(
      z.object({
        id: z.number().int(),
        at: ms,
        actor: z.string(),
        actorUserId: z.number().int().nullable(),
        tokenName: z.string().nullable(),
        client: z.string(),
        action: z.string(),
        entity: z.string(),
        entityId: z.number().int().nullable(),
        targetId: z.number().int().nullable(),
        changes: z.record(z.string(), z.unknown()).nullable(),
      }),
    ),
    next: z.number().int().nullable().describe('Pass as `before` for the next page; null: no more.'),
  })
  .meta({ id: 'AuditPage' });

const bucket = z.object({
  t: ms,
  attempts: z.number().int(),
  successes: z.number().int(),
  ratio: z.number().nullable(),
  connectMs: z.object({ min: z.number().nullable(), avg: z.number().nullable(), max: z.number().nullable() }),
  outcomes: z.record(z.string(), z.number().int()),
});
const numOrNull = z.array(z.number().nullable());

/** `GET /api/targets/:id/history`: `buckets`, or with `format=columns` one array per series. */
export const History = z
  .object({
    from: ms,
    to: ms,
    step: z.number().int(),
    tz: z.string(),
    buckets: z.array(bucket).optional(),
    t: z.array(ms).optional(),
    attempts: numOrNull.optional(),
    successes: numOrNull.optional(),
    connectMin: numOrNull.optional(),
    connectAvg: numOrNull.optional(),
    connectMax: numOrNull.optional(),
    outcomes: z.record(z.string(), numOrNull).optional(),
  })
  .meta({ id: 'History' });

/** `GET /api/targets/:id/results` (objects; `format=columns` streams columns, see http/raw-mode.ts). */
export const Results = z.looseObject({ from: ms.optional(), to: ms.optional(), results: z.array(ProbeResult).optional() }).meta({ id: 'Results' });

/** `GET /api/sparklines`. */
export const Sparklines = z.object({ from: ms, to: ms, step: z.literal(60), series: z.record(z.string(), z.array(z.number().nullable())) });

/** `GET /api/targets/:id/wire` (routes/wire.ts `WireView`). */
export const WireView = z.object({ nextSlots: z.array(ms), addresses: z.array(z.string()), dnsError: z.string().nullable(), filters: z.record(z.string(), z.unknown()) });

const chartTarget = { id: z.number().int(), name: z.string(), host: z.string(), port: z.number().int(), enabled: z.boolean() };
/** `GET /api/charts/compare`. */
export const Compare = z.object({
  from: ms,
  to: ms,
  step: z.number().int(),
  tz: z.string(),
  t: z.array(ms),
  targets: z.array(z.object({ ...chartTarget, attempts: numOrNull, measured: numOrNull, successes: numOrNull, ratio: numOrNull, connectAvg: numOrNull })),
});
/** `GET /api/charts/wall`. */
export const Wall = z.object({
  from: ms,
  to: ms,
  step: z.number().int(),
  tz: z.string(),
  count: z.number().int(),
  t: z.array(ms),
  total: z.number().int(),
  offset: z.number().int(),
  targets: z.array(z.object(chartTarget)),
  attempts: numOrNull,
  measured: numOrNull,
  successes: numOrNull,
});

/** `GET /api/nodes` (routes/nodes.ts). */
export const Nodes = z.object({
  store: z.enum(['mysql', 'sqlite']),
  single: z.boolean(),
  self: z.object({ name: z.string(), location: z.string() }).nullable(),
  now: ms,
  nodes: z.array(z.looseObject({ name: z.string(), location: z.string(), heartbeatAt: ms, up: z.boolean(), heartbeatAgeMs: z.number() })),
});

/** domain/types.ts `HealthReport` (200 ok, 503 degraded). */
export const Health = z
  .looseObject({ status: z.enum(['ok', 'degraded']), reasons: z.array(z.string()), db: z.enum(['ok', 'degraded', 'error']), dbReason: z.string().nullable(), store: z.enum(['mysql', 'sqlite']) })
  .meta({ id: 'Health' });

/** The live dashboard's first list (domain/live-frame.ts `LiveSnapshot`): one array per field, index i = one target; codes as in live-frame.ts. */
export const LiveSnapshot = z
  .looseObject({
    cursor: z.string().describe('pass as `after` to /api/events/stream'),
    id: z.array(z.number().int()),
    name: z.array(z.string()),
    host: z.array(z.string()),
    port: z.array(z.number().int()),
    enabled: z.array(z.number().int()),
    state: z.array(z.number().int()),
    stateSince: z.array(nullableMs),
    flapping: z.array(z.number().int()),
    lastAt: z.array(nullableMs),
    outcome: z.array(z.number().int()),
    connectMs: z.array(z.number().nullable()),
    errorCode: z.record(z.string(), z.string()),
    ratio: z.array(z.number().nullable()),
    locations: z.record(z.string(), z.array(z.string())),
    byLocation: z.record(z.string(), z.array(z.unknown())),
  })
  .meta({ id: 'LiveSnapshot' });
