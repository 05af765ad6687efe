-- Per-target rollups of results: 1-minute and 1-hour buckets (bucket = start, UTC epoch ms).
-- Maintained by the writer in the same transaction as the raw rows; rebuilt from results when missing.
CREATE TABLE IF NOT EXISTS results_1m (
  target_id INT UNSIGNED NOT NULL,
  bucket BIGINT NOT NULL,
  attempts INT UNSIGNED NOT NULL,
  successes INT UNSIGNED NOT NULL,
  connect_sum DOUBLE NOT NULL DEFAULT 0,
  connect_count INT UNSIGNED NOT NULL,
  connect_min DOUBLE NULL,
  connect_max DOUBLE NULL,
  refused INT UNSIGNED NOT NULL,
  timeout INT UNSIGNED NOT NULL,
  dns_error INT UNSIGNED NOT NULL,
  unreachable INT UNSIGNED NOT NULL,
  reset INT UNSIGNED NOT NULL,
  error INT UNSIGNED NOT NULL,
  PRIMARY KEY (target_id, bucket)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS results_1h (
  target_id INT UNSIGNED NOT NULL,
  bucket BIGINT NOT NULL,
  attempts INT UNSIGNED NOT NULL,
  successes INT UNSIGNED NOT NULL,
  connect_sum DOUBLE NOT NULL DEFAULT 0,
  connect_count INT UNSIGNED NOT NULL,
  connect_min DOUBLE NULL,
  connect_max DOUBLE NULL,
  refused INT UNSIGNED NOT NULL,
  timeout INT UNSIGNED NOT NULL,
  dns_error INT UNSIGNED NOT NULL,
  unreachable INT UNSIGNED NOT NULL,
  reset INT UNSIGNED NOT NULL,
  error INT UNSIGNED NOT NULL,
  PRIMARY KEY (target_id, bucket)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

