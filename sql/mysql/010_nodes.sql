-- Probe nodes (issue 10). Times are UTC epoch ms on the DATABASE's clock (UNIX_TIMESTAMP(NOW(3))),
-- so node clock skew never decides who is alive. A row stays after its node dies (shown down)
-- until an admin deletes it.
-- instance: random id of the process holding the name (a restart gets a new one).
-- active_from: when the node starts counting in the assignment (start + a join delay, so every
-- node sees it first); stopped_at: a clean stop's hand-over moment, NULL while running.
CREATE TABLE IF NOT EXISTS nodes (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  location VARCHAR(32) NOT NULL,
  instance CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  version VARCHAR(32) NOT NULL,
  store VARCHAR(8) NOT NULL,
  started_at BIGINT NOT NULL,
  active_from BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  stopped_at BIGINT NULL,
  targets_assigned INT UNSIGNED NOT NULL DEFAULT 0,
  lag_p99_ms DOUBLE NULL,
  writer_buffered INT UNSIGNED NOT NULL DEFAULT 0,
  writer_dropped BIGINT UNSIGNED NOT NULL DEFAULT 0,
  -- the connection the heartbeat came through, and which server and user it was on: a node whose
  -- connection the server no longer lists has exited (kill -9 included; the kernel closes its sockets)
  conn_id BIGINT UNSIGNED NULL,
  conn_scope VARCHAR(400) NULL,
  KEY nodes_location (location)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- locations: comma-joined location names; '' = the location `default`.
ALTER TABLE targets ADD COLUMN locations VARCHAR(600) NOT NULL DEFAULT '';
-- Where each result was probed from; NULL for results stored before issue 10.
ALTER TABLE results
  ADD COLUMN location VARCHAR(32) NULL,
  ADD COLUMN node VARCHAR(64) NULL;
