-- Issue 14 §3 (configuration as code): an optional stable key a user gives a target in a config
-- file; import matches targets by it (else by name + host + port), so a rename keeps the history.
ALTER TABLE targets ADD COLUMN config_key TEXT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS targets_config_key ON targets (config_key);
