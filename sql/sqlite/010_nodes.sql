-- Probe nodes (issue 10). SQLite stays single-node: the one node still has its row.
-- Times are UTC epoch ms. See sql/mysql/010_nodes.sql for the columns.
CREATE TABLE IF NOT EXISTS nodes (
  name TEXT NOT NULL PRIMARY KEY,
  location TEXT NOT NULL,
  instance TEXT NOT NULL,
  version TEXT NOT NULL,
  store TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  active_from INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  stopped_at INTEGER NULL,
  targets_assigned INTEGER NOT NULL DEFAULT 0,
  lag_p99_ms REAL NULL,
  writer_buffered INTEGER NOT NULL DEFAULT 0,
  writer_dropped INTEGER NOT NULL DEFAULT 0,
  conn_id INTEGER NULL,
  conn_scope TEXT NULL
);
ALTER TABLE targets ADD COLUMN locations TEXT NOT NULL DEFAULT '';
ALTER TABLE results ADD COLUMN location TEXT NULL;
ALTER TABLE results ADD COLUMN node TEXT NULL;
