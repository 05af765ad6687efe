-- Target state and events (issue 11): per-target thresholds, and every up/down/unknown change.
-- failure_threshold: consecutive failed probes before a target turns down (1–100, default 3);
-- recovery_threshold: consecutive successes before it turns up again (1–100, default 1).
ALTER TABLE targets ADD COLUMN failure_threshold INTEGER NOT NULL DEFAULT 3;
ALTER TABLE targets ADD COLUMN recovery_threshold INTEGER NOT NULL DEFAULT 1;

-- One row per state change. Times are UTC epoch ms. `location` is 'default' until locations exist.
-- first_failed_at: the outage's first failed probe (down events and the up event that ends it);
-- streak_started_at: the first probe of the run that caused the change (down: = first_failed_at;
-- up: the first success of the recovering run, where the outage ends).
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  target_id INTEGER NOT NULL,
  location TEXT NOT NULL DEFAULT 'default',
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  error_code TEXT NULL,
  first_failed_at INTEGER NULL,
  streak_started_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_target_at ON events (target_id, at);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
