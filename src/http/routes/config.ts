/**
 * Configuration as code (issue 14 §3). Any logged-in user may export; import is a write (admins).
 * - `GET /api/config?format=yaml|json&users=true|false` (defaults yaml, false) → the file
 *   `{version: 1, targets: [...], users?: [...]}`: every target with all its settings (locations
 *   included), ordered by key, name, host, port; with `users=true` every user `{username, role}`
 *   (never a password or hash; admins only, 403 for a viewer). No secrets.
 * - `POST /api/config?mode=merge|replace&dryRun=true|false` (defaults merge, false), body the file
 *   as YAML (`application/yaml`, `text/yaml`) or JSON (`application/json`), up to
 *   {@link CONFIG_MAX_BODY_BYTES} → 200 `{dryRun, mode, summary: {create, update, delete, unchanged},
 *   create, update: [{id, name, changes: {field: {before, after}}}], delete, unchanged}`.
 *   Targets match by `key`, else by name + host + port; `replace` deletes stored targets the file
 *   does not name, `merge` leaves them. All or nothing: one transaction, and any problem gives
 *   400 `{error: "validation", fields: {"targets.3.port": "…", …}}` listing every entry's problems
 *   with nothing changed. Importing the same file again changes nothing (all unchanged).
 *   A `users` section, when present, creates and updates users by username (never deletes; a new
 *   user gets no usable password until an admin sets one), see domain/config-users.ts; the report
 *   then has `users: {summary, create, update, unchanged}`.
 * - Channels (domain/config-channels.ts): `GET ?channels=true` (admins; 403 for a viewer) adds
 *   `channels: [{name, kind, isDefault, config}]` without secrets and each target's `channels`
 *   by name. On import a `channels` section creates and updates channels by name (never deletes;
 *   secrets are never in the file: a stored channel keeps its own, a new one has none and the
 *   report lists its `secretsMissing`); a target's `channels`, when given, replaces its channels.
 *   The report then has `channels: {summary, create, update, unchanged}`.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import YAML from 'yaml';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { parseConfigFile, planImport, toConfigFile, unknownChannelNames, type ImportPlan } from '../../domain/config-file.js';
import { ForbiddenError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../../errors.js';
import { applyImportPlan, listStoredTargets } from '../../store/config-targets.js';
import { applyChannelPlan, applyTargetChannels, listStoredChannels, withChannelNames } from '../../store/config-channels.js';
import { ambiguousNames, planChannels, type ChannelPlan } from '../../domain/config-channels.js';
import { secretBox } from '../../notify/secret-box.js';
import { applyUserPlan } from '../../store/config-users.js';
import { countAdmins, listUsers, lockedUserIds } from '../../store/users.js';
import { planUsers, type UserPlan } from '../../domain/config-users.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { assertHostAddress } from '../host-addresses.js';
import { queryOf } from '../validate.js';
import { doc } from '../openapi/markers.js';
import { ConfigFile, ImportReport } from '../openapi/shapes-config.js';

/** Largest configuration file accepted, bytes (32 MiB: 10,000 targets take about 4 MiB of YAML). */
export const CONFIG_MAX_BODY_BYTES = 32 * 1024 * 1024;

const exportQuery = z.object({
  format: z.enum(['yaml', 'json'], { error: 'format must be yaml or json.' }).default('yaml'),
  users: z.enum(['true', 'false'], { error: 'users must be true or false.' }).default('false'),
  channels: z.enum(['true', 'false'], { error: 'channels must be true or false.' }).default('false'),
});
const importQuery = z.object({
  mode: z.enum(['merge', 'replace'], { error: 'mode must be merge or replace.' }).default('merge'),
  dryRun: z.enum(['true', 'false'], { error: 'dryRun must be true or false.' }).default('false'),
});

/** How far YAML aliases may expand (the yaml library's `maxAliasCount`): room for a real file's shared values. */
const YAML_MAX_ALIASES = 10_000;

/**
 * Parses the body by its Content-Type.
 * @throws {ValidationError} on `_` for unparsable text; {@link UnsupportedMediaTypeError} (415) for a type other than YAML or JSON
 */
function parseBody(type: string, text: string): unknown {
  const t = type.split(';')[0]!.trim().toLowerCase();
  if (/^application\/([\w.-]+\+)?json$/.test(t)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new ValidationError({ _: `The file is not valid JSON: ${(err as Error).message}` });
    }
  }
  if (!['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'].includes(t)) {
    throw new UnsupportedMediaTypeError('Send the file as YAML (Content-Type: application/yaml) or JSON (application/json).');
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ValidationError({ _: `The file is not valid YAML: ${doc.errors[0]!.message}` });
  try {
    // the yaml library stops alias expansion past this (a "billion laughs" file): a 400, not a 500
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIASES }) as unknown;
  } catch (err) {
    throw new ValidationError({ _: `The file expands its YAML aliases too far (${(err as Error).message}); write the values out or use fewer aliases.` });
  }
}

/** The response shape of an import (also of a dry run); `users`/`channels` only when the file has that section. */
function report(plan: ImportPlan, users: UserPlan | null, channels: ChannelPlan | null, mode: string, dryRun: boolean) {
  return {
    dryRun,
    mode,
    summary: { create: plan.create.length, update: plan.update.length, delete: plan.delete.length, unchanged: plan.unchanged.length },
    create: plan.create.map((c) => ({ key: c.key, ...c.target })),
    update: plan.update.map((u) => ({ id: u.id, key: u.key, name: u.name, changes: u.changes })),
    delete: plan.delete.map((d) => ({ id: d.id, key: d.key, name: d.name })),
    unchanged: plan.unchanged.map((u) => ({ id: u.id, name: u.name })),
    ...(users && {
      users: {
        summary: { create: users.create.length, update: users.update.length, unchanged: users.unchanged.length },
        // a created user has no password until an admin sets one (domain/config-users.ts)
        create: users.create.map((u) => ({ username: u.username, role: u.role, passwordSet: false })),
        update: users.update.map((u) => ({ id: u.id, username: u.username, changes: u.changes })),
        unchanged: users.unchanged.map((u) => ({ id: u.id, username: u.username })),
      },
    }),
    ...(channels && {
      channels: {
        summary: { create: channels.create.length, update: channels.update.length, unchanged: channels.unchanged.length },
        // secretsMissing: required secrets not set; the channel sends nothing until an admin sets them
        create: channels.create.map((ch) => ({ name: ch.name, kind: ch.kind, isDefault: ch.isDefault, config: ch.config, secretsMissing: ch.secretsMissing })),
        update: channels.update.map((ch) => ({ id: ch.id, name: ch.name, changes: ch.changes, secretsMissing: ch.secretsMissing })),
        unchanged: channels.unchanged.map((ch) => ({ id: ch.id, name: ch.name })),
      },
    }),
  };
}

/** Builds the config routes (mounted at /api/config after requireUser). */
export function configRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const box = secretBox(deps.sessionSecret);

  app.get(
    '/',
    doc({ summary: 'Export the configuration file (YAML by default; users=true, channels=true: admins only)', tags: ['config'], ok: ConfigFile, media: 'application/yaml', errors: [403] }),
    queryOf(exportQuery),
    async (c) => {
      const q = c.req.valid('query');
      // the users list is admins' (as GET /api/users is)
      if (q.users === 'true' && c.get('user').role !== 'admin') throw new ForbiddenError('Only admins export users.');
      // channels are admins' (as GET /api/channels is)
      if (q.channels === 'true' && c.get('user').role !== 'admin') throw new ForbiddenError('Only admins export channels.');
      const file = await deps.db.tx(async (db) => {
        const stored = await listStoredTargets(db);
        const users = q.users === 'true' ? await listUsers(db) : undefined;
        if (q.channels !== 'true') return toConfigFile(stored, users);
        return toConfigFile(await withChannelNames(db, stored), users, await listStoredChannels(db));
      });
      if (q.format === 'json') return c.json(file);
      c.header('Content-Type', 'application/yaml; charset=utf-8');
      return c.body(YAML.stringify(file, { lineWidth: 0 }));
    },
  );

  app.post(
    '/',
    doc({
      summary: 'Import a configuration file (merge or replace; dryRun returns the diff only)',
      tags: ['config'],
      ok: ImportReport,
      errors: [413],
      body: { media: ['application/yaml', 'application/json'], schema: ConfigFile, description: 'The file, as YAML or JSON; every problem is reported by path (400).' },
    }),
    bodyLimit({
      maxSize: CONFIG_MAX_BODY_BYTES,
      onError: () => {
        throw new PayloadTooLargeError(CONFIG_MAX_BODY_BYTES);
      },
    }),
    queryOf(importQuery),
    async (c) => {
      const { mode, dryRun: dry } = c.req.valid('query');
      const dryRun = dry === 'true';
      const parsed = parseConfigFile(parseBody(c.req.header('content-type') ?? '', await c.req.text()));
      if (!parsed.ok) throw new ValidationError(parsed.errors, `The file has ${Object.keys(parsed.errors).length} problem(s); nothing was changed.`);
      const now = deps.now();
      const { plan, users, channels } = await deps.db.tx(async (db) => {
        const locked = await listStoredTargets(db, { lock: true });
        const withNames = parsed.channels !== null || parsed.entries.some((e) => e.channels !== null);
        const stored = withNames ? await withChannelNames(db, locked) : locked;
        const storedChannels = withNames ? await listStoredChannels(db) : [];
        const errors: Record<string, string> = {};
        const channels = parsed.channels ? planChannels(storedChannels, parsed.channels, errors) : null;
        // users are counted under lock (as the user routes do), so two imports cannot both demote the last admin
        if (parsed.users) await countAdmins(db, { lock: true });
        const userPlan = parsed.users ? planUsers(await listUsers(db), parsed.users, await lockedUserIds(db)) : null;
        const plan = planImport(stored, parsed.entries, mode);
        // a source address is checked when it is new or changes, as the target routes do
        const check = (index: number, addr: string | null) => {
          try {
            assertHostAddress(addr, deps.interfaces);
          } catch (err) {
            if (err instanceof ValidationError) errors[`targets.${index}.sourceAddress`] = err.fields.sourceAddress ?? err.message;
            else throw err;
          }
        };
        for (const e of plan.create) check(e.index, e.target.sourceAddress);
        for (const u of plan.update) if ('sourceAddress' in u.changes) check(u.index, u.target.sourceAddress);
        if (userPlan && 'error' in userPlan) errors.users = userPlan.error;
        unknownChannelNames(parsed.entries, new Set([...storedChannels.map((s) => s.name), ...(parsed.channels ?? []).map((s) => s.name)]), errors, ambiguousNames(storedChannels));
        if (Object.keys(errors).length > 0) throw new ValidationError(errors, `The file has ${Object.keys(errors).length} problem(s); nothing was changed.`);
        const users = userPlan && 'plan' in userPlan ? userPlan.plan : null;
        if (dryRun) return { plan, users, channels };
        const audit = (e: Parameters<typeof recordAudit>[2]) => recordAudit(c, deps, { ...e, db });
        if (channels) await applyChannelPlan(db, box, channels, now, (e) => audit(e));
        const ids = await applyImportPlan(db, plan, now);
        await applyTargetChannels(db, plan, ids);
        for (const d of plan.delete) await audit({ action: 'delete', entity: 'target', entityId: d.id, before: { key: d.key, ...d.target } });
        for (const u of plan.update) await audit({ action: 'update', entity: 'target', entityId: u.id, details: u.changes });
        for (const [i, cr] of plan.create.entries()) await audit({ action: 'create', entity: 'target', entityId: ids[i]!, after: { key: cr.key, ...cr.target } });
        if (users) await applyUserPlan(db, users, now, (e) => audit(e));
        const userCounts = users && { users: { create: users.create.length, update: users.update.length, unchanged: users.unchanged.length } };
        const channelCounts = channels && { channels: { create: channels.create.length, update: channels.update.length, unchanged: channels.unchanged.length } };
        await audit({
          action: 'import',
          entity: 'config',
          details: { mode, create: plan.create.length, update: plan.update.length, delete: plan.delete.length, unchanged: plan.unchanged.length, ...userCounts, ...channelCounts },
        });
        return { plan, users, channels };
      });
      if (!dryRun && plan.create.length + plan.update.length + plan.delete.length > 0) {
        for (const d of plan.delete) deps.actors?.latest.forget(d.id);
        await deps.actors?.reconcile();
      }
      return c.json(report(plan, users, channels, mode, dryRun));
    },
  );

  return app;
}
