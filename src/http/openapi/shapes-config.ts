/**
 * Response shapes of the configuration-as-code routes (issue 14 §3), for the OpenAPI document only,
 * as in shapes.ts: the export's file and the import's report.
 */
import { z } from 'zod';

/** One target of a configuration file (domain/config-file.ts `ConfigTarget`; the full rules are the import's). */
const configTarget = z.looseObject({
  key: z.string().optional(),
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  locations: z.array(z.string()).optional(),
  channels: z.array(z.string()).optional(),
});
/** One channel of a configuration file (domain/config-channels.ts `ConfigChannel`): settings without secrets. */
const configChannel = z.object({ name: z.string(), kind: z.enum(['webhook', 'slack', 'teams', 'ntfy', 'email']), isDefault: z.boolean().optional(), config: z.record(z.string(), z.unknown()) });
/** `GET /api/config?format=json` (domain/config-file.ts `ConfigFile`; `users`, `channels` only when asked). */
export const ConfigFile = z
  .looseObject({
    version: z.literal(1),
    targets: z.array(configTarget),
    users: z.array(z.object({ username: z.string(), role: z.enum(['admin', 'viewer']) })).optional(),
    channels: z.array(configChannel).optional(),
  })
  .meta({ id: 'ConfigFile' });

/** `POST /api/config` → the plan applied (or, for a dry run, that would be). */
export const ImportReport = z
  .looseObject({
    dryRun: z.boolean(),
    mode: z.enum(['merge', 'replace']),
    summary: z.looseObject({ create: z.number().int(), update: z.number().int(), delete: z.number().int(), unchanged: z.number().int() }),
    create: z.array(z.record(z.string(), z.unknown())),
    update: z.array(z.record(z.string(), z.unknown())),
    delete: z.array(z.record(z.string(), z.unknown())),
    unchanged: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'ImportReport' });
