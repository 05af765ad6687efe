-- NetWatch schema, SQLite. Times are UTC epoch milliseconds (INTEGER).
CREATE TABLE IF NOT EXISTS targets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  interval_s INTEGER NOT NULL,
  timeout_ms INTEGER NULL,
  retention_value INTEGER NOT NULL,
  retention_unit TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS results (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  connect_ms REAL NULL,
  dns_ms REAL NULL,
  address TEXT NULL,
  local_port INTEGER NULL,
  error_code TEXT NULL
);
CREATE INDEX IF NOT EXISTS results_target_started ON results (target_id, started_at);

CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
  id TEXT NOT NULL PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);

CREATE TABLE IF NOT EXISTS settings (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
