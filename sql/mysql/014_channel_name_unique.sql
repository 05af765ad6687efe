-- Channel names are unique (the configuration file matches channels by name, domain/config-channels.ts):
-- enforced by the database too, so two concurrent creates cannot both pass the application's check
-- (the API answers the duplicate key with 409 on `name`, src/errors.ts). The column becomes binary
-- (as users.username in 004): names are compared exactly, as NetWatch and SQLite compare them, not
-- case- and accent-blind. Names several channels already share (data from before) stay with the
-- oldest channel; each later one is renamed "<name> (duplicate <id>)" (cut to fit 100 characters),
-- and each rename is written to the audit log (actor `migration`), before the unique index is made.
ALTER TABLE channels MODIFY name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
INSERT INTO audit_log (at, actor, actor_user_id, token_name, client, action, entity, entity_id, target_id, changes)
  SELECT UNIX_TIMESTAMP() * 1000, 'migration', NULL, NULL, 'migration', 'update', 'channel', c.id, NULL,
    JSON_OBJECT('name', JSON_OBJECT('before', c.name, 'after', CONCAT(LEFT(c.name, 77), ' (duplicate ', c.id, ')')))
  FROM channels c WHERE EXISTS (SELECT 1 FROM channels o WHERE o.name = c.name AND o.id < c.id);
UPDATE channels c JOIN (SELECT c1.id FROM channels c1 JOIN channels c2 ON c2.name = c1.name AND c2.id < c1.id GROUP BY c1.id) d ON d.id = c.id
  SET c.name = CONCAT(LEFT(c.name, 77), ' (duplicate ', c.id, ')');
CREATE UNIQUE INDEX channels_name ON channels (name);
