-- Per-target rollups of results: 1-minute and 1-hour buckets (bucket = start, UTC epoch ms).
-- Maintained by the writer in the same transaction as the raw rows; rebuilt from results when missing.
CREATE TABLE IF NOT EXISTS results_1m (
  target_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  successes INTEGER NOT NULL,
  connect_sum REAL NOT NULL DEFAULT 0,
  connect_count INTEGER NOT NULL,
  connect_min REAL NULL,
  connect_max REAL NULL,
  refused INTEGER NOT NULL,
  timeout INTEGER NOT NULL,
  dns_error INTEGER NOT NULL,
  unreachable INTEGER NOT NULL,
  reset INTEGER NOT NULL,
  error INTEGER NOT NULL,
  PRIMARY KEY (target_id, bucket)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS results_1h (
  target_id INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  successes INTEGER NOT NULL,
  connect_sum REAL NOT NULL DEFAULT 0,
  connect_count INTEGER NOT NULL,
  connect_min REAL NULL,
  connect_max REAL NULL,
  refused INTEGER NOT NULL,
  timeout INTEGER NOT NULL,
  dns_error INTEGER NOT NULL,
  unreachable INTEGER NOT NULL,
  reset INTEGER NOT NULL,
  error INTEGER NOT NULL,
  PRIMARY KEY (target_id, bucket)
) WITHOUT ROWID;

