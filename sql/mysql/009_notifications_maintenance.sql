-- Notifications (issue 11): channels, which targets use them, the delivery log, maintenance windows.
-- channels.config: the kind's settings as JSON (no secrets); channels.secret: the secret fields as
-- JSON, encrypted (AES-256-GCM, key derived from the session secret; see src/notify/secret-box.ts).
CREATE TABLE IF NOT EXISTS channels (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  kind VARCHAR(10) NOT NULL,
  config TEXT NOT NULL,
  secret TEXT NULL,
  is_default TINYINT(1) NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS target_channels (
  target_id INT UNSIGNED NOT NULL,
  channel_id INT UNSIGNED NOT NULL,
  PRIMARY KEY (target_id, channel_id),
  KEY target_channels_channel (channel_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per notification to one channel, stored before the first attempt. status: pending,
-- sent, failed (gave up after 10 min). Times are UTC epoch ms.
CREATE TABLE IF NOT EXISTS deliveries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  channel_id INT UNSIGNED NOT NULL,
  target_id INT UNSIGNED NULL,
  event_id BIGINT UNSIGNED NULL,
  kind VARCHAR(10) NOT NULL,
  message TEXT NOT NULL,
  status VARCHAR(10) NOT NULL,
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error VARCHAR(500) NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  KEY deliveries_status (status, next_attempt_at),
  KEY deliveries_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Maintenance windows (issue 11): notifications silenced for one target (target_id) or all (NULL)
-- from starts_at to ends_at (UTC epoch ms), once or every week (weekly = 1: again every 7 days).
CREATE TABLE IF NOT EXISTS maintenance_windows (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  target_id INT UNSIGNED NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  weekly TINYINT(1) NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A change seen inside a maintenance window is still recorded, marked.
ALTER TABLE events ADD COLUMN in_maintenance TINYINT(1) NOT NULL DEFAULT 0;
