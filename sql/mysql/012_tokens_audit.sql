-- Issue 14: personal API tokens (only the SHA-256 of each token is stored) and the audit log.
CREATE TABLE IF NOT EXISTS api_tokens (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id INT UNSIGNED NOT NULL,
  name VARCHAR(100) NOT NULL,
  token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NULL,
  last_used_at BIGINT NULL,
  last_used_from VARCHAR(64) NULL,
  UNIQUE KEY api_tokens_hash (token_hash),
  KEY api_tokens_user (user_id),
  CONSTRAINT api_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor VARCHAR(200) NOT NULL,
  actor_user_id INT UNSIGNED NULL,
  token_name VARCHAR(100) NULL,
  client VARCHAR(64) NOT NULL,
  action VARCHAR(40) NOT NULL,
  entity VARCHAR(20) NOT NULL,
  entity_id BIGINT NULL,
  target_id BIGINT NULL,
  changes MEDIUMTEXT NULL,
  KEY audit_log_at (at),
  KEY audit_log_target (target_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
