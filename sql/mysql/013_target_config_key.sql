-- Issue 14 §3 (configuration as code): an optional stable key a user gives a target in a config
-- file; import matches targets by it (else by name + host + port), so a rename keeps the history.
ALTER TABLE targets ADD COLUMN config_key VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
CREATE UNIQUE INDEX targets_config_key ON targets (config_key);
