/**
 * Configuration as code (issue 14 §3). Any logged-in user may export; import is a write (admins).
 * - `GET /api/config?format=yaml|json` (default yaml) → the file `{version: 1, targets: [...]}`:
 *   every target with all its settings (no users, no secrets), ordered by key, name, host, port.
 * - `POST /api/config?mode=merge|replace&dryRun=true|false` (defaults merge, false), body the file
 *   as YAML (`application/yaml`, `text/yaml`) or JSON (`application/json`), up to
 *   {@link CONFIG_MAX_BODY_BYTES} → 200 `{dryRun, mode, summary: {create, update, delete, unchanged},
 *   create, update: [{id, name, changes: {field: {before, after}}}], delete, unchanged}`.
 *   Targets match by `key`, else by name + host + port; `replace` deletes stored targets the file
 *   does not name, `merge` leaves them. All or nothing: one transaction, and any problem gives
 *   400 `{error: "validation", fields: {"targets.3.port": "…", …}}` listing every entry's problems
 *   with nothing changed. Importing the same file again changes nothing (all unchanged).
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import YAML from 'yaml';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { parseConfigFile, planImport, toConfigFile, type ImportPlan } from '../../domain/config-file.js';
import { PayloadTooLargeError, ValidationError } from '../../errors.js';
import { applyImportPlan, listStoredTargets } from '../../store/config-targets.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { assertHostAddress } from '../host-addresses.js';
import { queryOf } from '../validate.js';

/** Largest configuration file accepted, bytes (32 MiB: 10,000 targets take about 4 MiB of YAML). */
export const CONFIG_MAX_BODY_BYTES = 32 * 1024 * 1024;

const exportQuery = z.object({ format: z.enum(['yaml', 'json'], { error: 'format must be yaml or json.' }).default('yaml') });
const importQuery = z.object({
  mode: z.enum(['merge', 'replace'], { error: 'mode must be merge or replace.' }).default('merge'),
  dryRun: z.enum(['true', 'false'], { error: 'dryRun must be true or false.' }).default('false'),
});

/** Parses the body by its Content-Type. @throws {ValidationError} on `_` for unparsable text */
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
    throw new ValidationError({ _: 'Send the file as YAML (Content-Type: application/yaml) or JSON (application/json).' });
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ValidationError({ _: `The file is not valid YAML: ${doc.errors[0]!.message}` });
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/** The response shape of an import (also of a dry run). */
function report(plan: ImportPlan, mode: string, dryRun: boolean) {
  return {
    dryRun,
    mode,
    summary: { create: plan.create.length, update: plan.update.length, delete: plan.delete.length, unchanged: plan.unchanged.length },
    create: plan.create.map((c) => ({ key: c.key, ...c.target })),
    update: plan.update.map((u) => ({ id: u.id, key: u.key, name: u.name, changes: u.changes })),
    delete: plan.delete.map((d) => ({ id: d.id, key: d.key, name: d.name })),
    unchanged: plan.unchanged.map((u) => ({ id: u.id, name: u.name })),
  };
}

/** Builds the config routes (mounted at /api/config after requireUser). */
export function configRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/', queryOf(exportQuery), async (c) => {
    const file = toConfigFile(await listStoredTargets(deps.db));
    if (c.req.valid('query').format === 'json') return c.json(file);
    c.header('Content-Type', 'application/yaml; charset=utf-8');
    return c.body(YAML.stringify(file, { lineWidth: 0 }));
  });

  app.post(
    '/',
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
      const plan = await deps.db.tx(async (db) => {
        const stored = await listStoredTargets(db, { lock: true });
        const plan = planImport(stored, parsed.entries, mode);
        // a source address is checked when it is new or changes, as the target routes do
        const errors: Record<string, string> = {};
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
        if (Object.keys(errors).length > 0) throw new ValidationError(errors, `The file has ${Object.keys(errors).length} problem(s); nothing was changed.`);
        if (dryRun) return plan;
        const ids = await applyImportPlan(db, plan, now);
        const audit = (e: Parameters<typeof recordAudit>[2]) => recordAudit(c, deps, { ...e, db });
        for (const d of plan.delete) await audit({ action: 'delete', entity: 'target', entityId: d.id, before: { key: d.key, ...d.target } });
        for (const u of plan.update) await audit({ action: 'update', entity: 'target', entityId: u.id, details: u.changes });
        for (const [i, cr] of plan.create.entries()) await audit({ action: 'create', entity: 'target', entityId: ids[i]!, after: { key: cr.key, ...cr.target } });
        await audit({ action: 'import', entity: 'config', details: { mode, create: plan.create.length, update: plan.update.length, delete: plan.delete.length, unchanged: plan.unchanged.length } });
        return plan;
      });
      if (!dryRun && plan.create.length + plan.update.length + plan.delete.length > 0) {
        for (const d of plan.delete) deps.actors?.latest.forget(d.id);
        await deps.actors?.reconcile();
      }
      return c.json(report(plan, mode, dryRun));
    },
  );

  return app;
}
