-- Notifications (issue 11): channels, which targets use them, the delivery log, maintenance windows.
-- channels.config: the kind's settings as JSON (no secrets); channels.secret: the secret fields as
-- JSON, encrypted (AES-256-GCM, key derived from the session secret; see src/notify/secret-box.ts).
CREATE TABLE IF NOT EXISTS channels (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  config TEXT NOT NULL,
  secret TEXT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS target_channels (
  target_id INTEGER NOT NULL,
  channel_id INTEGER NOT NULL,
  PRIMARY KEY (target_id, channel_id)
);
CREATE INDEX IF NOT EXISTS target_channels_channel ON target_channels (channel_id);

-- One row per notification to one channel, stored before the first attempt. status: pending,
-- sent, failed (gave up after 10 min). Times are UTC epoch ms.
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel_id INTEGER NOT NULL,
  target_id INTEGER NULL,
  event_id INTEGER NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_status ON deliveries (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS deliveries_created ON deliveries (created_at);

-- Maintenance windows (issue 11): notifications silenced for one target (target_id) or all (NULL)
-- from starts_at to ends_at (UTC epoch ms), once or every week (weekly = 1: again every 7 days).
CREATE TABLE IF NOT EXISTS maintenance_windows (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  target_id INTEGER NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  weekly INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A change seen inside a maintenance window is still recorded, marked.
ALTER TABLE events ADD COLUMN in_maintenance INTEGER NOT NULL DEFAULT 0;
