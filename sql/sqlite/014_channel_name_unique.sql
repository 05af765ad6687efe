-- Channel names are unique (the configuration file matches channels by name, domain/config-channels.ts):
-- enforced by the database too, so two concurrent creates cannot both pass the application's check
-- (the API answers the duplicate key with 409 on `name`, src/errors.ts). Names several channels
-- already share (data from before) stay with the oldest channel; each later one is renamed
-- "<name> (duplicate <id>)" (cut to fit 100 characters), and each rename is written to the audit
-- log (actor `migration`), where admins see it, before the unique index is made.
INSERT INTO audit_log (at, actor, actor_user_id, token_name, client, action, entity, entity_id, target_id, changes)
  SELECT CAST(strftime('%s', 'now') AS INTEGER) * 1000, 'migration', NULL, NULL, 'migration', 'update', 'channel', c.id, NULL,
    json_object('name', json_object('before', c.name, 'after', substr(c.name, 1, 77) || ' (duplicate ' || c.id || ')'))
  FROM channels c WHERE EXISTS (SELECT 1 FROM channels o WHERE o.name = c.name AND o.id < c.id);
UPDATE channels SET name = substr(name, 1, 77) || ' (duplicate ' || id || ')'
  WHERE EXISTS (SELECT 1 FROM channels o WHERE o.name = channels.name AND o.id < channels.id);
CREATE UNIQUE INDEX IF NOT EXISTS channels_name ON channels (name);
