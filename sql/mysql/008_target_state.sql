-- Target state and events (issue 11): per-target thresholds, and every up/down/unknown change.
-- failure_threshold: consecutive failed probes before a target turns down (1–100, default 3);
-- recovery_threshold: consecutive successes before it turns up again (1–100, default 1).
ALTER TABLE targets ADD COLUMN failure_threshold SMALLINT UNSIGNED NOT NULL DEFAULT 3;
ALTER TABLE targets ADD COLUMN recovery_threshold SMALLINT UNSIGNED NOT NULL DEFAULT 1;

-- One row per state change. Times are UTC epoch ms. `location` is 'default' until locations exist.
-- first_failed_at: the outage's first failed probe (down events and the up event that ends it);
-- streak_started_at: the first probe of the run that caused the change (down: = first_failed_at;
-- up: the first success of the recovering run, where the outage ends).
CREATE TABLE IF NOT EXISTS events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  target_id INT UNSIGNED NOT NULL,
  location VARCHAR(64) NOT NULL DEFAULT 'default',
  from_state VARCHAR(10) NOT NULL,
  to_state VARCHAR(10) NOT NULL,
  at BIGINT NOT NULL,
  outcome VARCHAR(12) NOT NULL,
  error_code VARCHAR(32) NULL,
  first_failed_at BIGINT NULL,
  streak_started_at BIGINT NOT NULL,
  KEY events_target_at (target_id, at),
  KEY events_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
