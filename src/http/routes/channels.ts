/**
 * Notification routes (issue 11):
 * - admins only: `GET /api/channels` → `{channels: Channel[]}`; `POST /api/channels`
 *   (`{name, kind, isDefault?, config}`, see domain/channel-rules.ts) → 201 Channel;
 *   `GET/PUT/DELETE /api/channels/:id` (PUT replaces; a secret omitted from `config` keeps the
 *   stored one); `POST /api/channels/:id/test` → `{delivery}`: one attempt now (≤ 10 s), logged.
 *   Secrets are write-only: a Channel lists only the names of those set (`secretsSet`).
 * - any user: `GET /api/deliveries?channelId&targetId&status&limit` → `{deliveries}` newest first
 *   (limit 1–1,000, default 100); `GET /api/targets/:id/channels` → `{channelIds}`.
 * - admins: `PUT /api/targets/:id/channels` (`{channelIds}`) → `{channelIds}`.
 * 400 with per-field messages, 409 with `fields.name` for a name another channel has (the unique
 * index of sql/<dialect>/014_channel_name_unique.sql decides, so two concurrent creates cannot both
 * pass; errors.ts maps the duplicate key), 404 for unknown ids.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../audit/record.js';
import { channelInput, REQUIRED_SECRETS, SECRET_FIELDS } from '../../domain/channel-rules.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { testNotice } from '../../notify/message.js';
import { secretBox } from '../../notify/secret-box.js';
import { send, sendTargetOf } from '../../notify/send.js';
import { createChannel, deleteChannel, getChannel, listChannels, publicChannel, setTargetChannels, targetChannelIds, updateChannel, type ChannelRecord } from '../../store/channels.js';
import { getDelivery, insertDelivery, listDeliveries, publicDelivery, recordAttempt } from '../../store/deliveries.js';
import { getTarget } from '../../store/targets.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { jsonBody, parseId, queryOf } from '../validate.js';
import { doc } from '../openapi/markers.js';
import { Channel, Delivery } from '../openapi/shapes.js';

/** Longest a "Send test" attempt takes, ms. */
export const TEST_TIMEOUT_MS = 10_000;

const idParam = (label: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, { error: `${label} must be an id (a whole number from 1).` })
    .transform(Number)
    .optional();
const deliveriesQuery = z.object({
  channelId: idParam('channelId'),
  targetId: idParam('targetId'),
  status: z.enum(['pending', 'sent', 'failed'], { error: 'status must be pending, sent or failed.' }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, { error: 'limit must be a whole number 1–1000.' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, { error: 'limit must be a whole number 1–1000.' })
    .optional(),
});
/** A channel's audited fields: its public settings (secrets only by name, `secretsSet`). */
const audited = (ch: ChannelRecord) => {
  const { id: _i, createdAt: _c, updatedAt: _u, ...rest } = publicChannel(ch);
  return rest;
};
const channelIdsBody = z.object({ channelIds: z.array(z.number().int().positive(), { error: 'channelIds must be a list of channel ids.' }).max(100) }).strict();

/** Builds `/channels/*` (mounted at /api; the app requires an admin for it). */
export function channelRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const box = secretBox(deps.sessionSecret);
  const mustGet = async (raw: string) => {
    const id = parseId(raw);
    const c = id === undefined ? undefined : await getChannel(deps.db, id);
    if (!c) throw new NotFoundError('Channel');
    return c;
  };
  const missingSecrets = (kind: keyof typeof REQUIRED_SECRETS, config: Record<string, unknown>, have: readonly string[]) => {
    const fields: Record<string, string> = {};
    for (const k of REQUIRED_SECRETS[kind]) if (config[k] === undefined && !have.includes(k)) fields[`config.${k}`] = 'Required.';
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  };

  app.get('/', doc({ summary: 'List notification channels (admins)', tags: ['channels'], ok: z.object({ channels: z.array(Channel) }) }), async (c) =>
    c.json({ channels: (await listChannels(deps.db)).map(publicChannel) }),
  );
  // each change commits with its audit entry (issue 14 §4)
  app.post('/', doc({ summary: 'Create a channel', tags: ['channels'], ok: Channel, status: 201, errors: [409] }), jsonBody(channelInput), async (c) => {
    const input = c.req.valid('json');
    missingSecrets(input.kind, input.config, []);
    const saved = await deps.db.tx(async (db) => {
      const saved = await createChannel(db, box, input, deps.now());
      await recordAudit(c, deps, { action: 'create', entity: 'channel', entityId: saved.id, after: audited(saved), db });
      return saved;
    });
    return c.json(publicChannel(saved), 201);
  });
  app.get('/:id', doc({ summary: 'One channel', tags: ['channels'], ok: Channel, errors: [404] }), async (c) => c.json(publicChannel(await mustGet(c.req.param('id')))));
  app.put('/:id', doc({ summary: 'Replace a channel (an omitted secret keeps the stored one)', tags: ['channels'], ok: Channel, errors: [404, 409] }), jsonBody(channelInput), async (c) => {
    const current = await mustGet(c.req.param('id'));
    const input = c.req.valid('json');
    missingSecrets(input.kind, input.config, current.kind === input.kind ? current.secretsSet : []);
    const saved = await deps.db.tx(async (db) => {
      const saved = await updateChannel(db, box, current, input, deps.now());
      if (!saved) throw new NotFoundError('Channel');
      const secrets = Object.keys(input.config).filter((k) => SECRET_FIELDS[input.kind].includes(k));
      const after = { ...audited(saved), ...(secrets.length > 0 && { secretsChanged: secrets }) };
      await recordAudit(c, deps, { action: 'update', entity: 'channel', entityId: saved.id, before: audited(current), after, db });
      return saved;
    });
    return c.json(publicChannel(saved));
  });
  app.delete('/:id', doc({ summary: 'Delete a channel', tags: ['channels'], status: 204, errors: [404] }), async (c) => {
    const id = parseId(c.req.param('id'));
    await deps.db.tx(async (db) => {
      const before = id === undefined ? undefined : await getChannel(db, id);
      if (!before || !(await deleteChannel(db, before.id))) throw new NotFoundError('Channel');
      await recordAudit(c, deps, { action: 'delete', entity: 'channel', entityId: before.id, before: audited(before), db });
    });
    return c.body(null, 204);
  });
  app.post('/:id/test', doc({ summary: 'Send a test notice now', tags: ['channels'], ok: z.object({ delivery: Delivery }), errors: [404] }), async (c) => {
    const ch = await mustGet(c.req.param('id'));
    const d = await insertDelivery(deps.db, ch.id, testNotice(ch.name, deps.now(), deps.config.publicUrl), null, deps.now());
    let error: string | null = null;
    try {
      await send(sendTargetOf(box, ch), d.notice, TEST_TIMEOUT_MS);
    } catch (err) {
      error = (err as Error).message;
    }
    await recordAttempt(deps.db, d.id, { status: error ? 'failed' : 'sent', attempts: 1, nextAttemptAt: deps.now(), lastError: error }, deps.now());
    return c.json({ delivery: publicDelivery((await getDelivery(deps.db, d.id))!) });
  });
  return app;
}

/** Builds `/deliveries` (mounted at /api) and `/:id/channels` (mounted at /api/targets). */
export function deliveryRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/deliveries', doc({ summary: 'Notification deliveries, newest first', tags: ['channels'], ok: z.object({ deliveries: z.array(Delivery) }) }), queryOf(deliveriesQuery), async (c) => {
    const q = c.req.valid('query');
    return c.json({ deliveries: (await listDeliveries(deps.db, { ...q, limit: q.limit ?? 100 })).map(publicDelivery) });
  });
  return app;
}

/** Builds the per-target channel choice (mounted at /api/targets). */
export function targetChannelRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const mustExist = async (raw: string) => {
    const id = parseId(raw);
    if (id === undefined || !(await getTarget(deps.db, id))) throw new NotFoundError('Target');
    return id;
  };
  app.get('/:id/channels', doc({ summary: "A target's channels", tags: ['channels'], ok: z.object({ channelIds: z.array(z.number().int()) }), errors: [404] }), async (c) =>
    c.json({ channelIds: await targetChannelIds(deps.db, await mustExist(c.req.param('id'))) }),
  );
  app.put(
    '/:id/channels',
    doc({ summary: "Set a target's channels (admins)", tags: ['channels'], ok: z.object({ channelIds: z.array(z.number().int()) }), errors: [404] }),
    jsonBody(channelIdsBody),
    async (c) => {
      const id = await mustExist(c.req.param('id'));
      const wanted = c.req.valid('json').channelIds;
      const known = new Set((await listChannels(deps.db)).map((ch) => ch.id));
      const unknown = wanted.filter((x) => !known.has(x));
      if (unknown.length > 0) throw new ValidationError({ channelIds: `Unknown channel id(s): ${unknown.join(', ')}.` });
      const channelIds = await deps.db.tx(async (db) => {
        const before = await targetChannelIds(db, id);
        const after = await setTargetChannels(db, id, wanted);
        await recordAudit(c, deps, { action: 'update', entity: 'target', entityId: id, before: { channelIds: before }, after: { channelIds: after }, db });
        return after;
      });
      return c.json({ channelIds });
    },
  );
  return app;
}
