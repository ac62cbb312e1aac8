-- Accounts, sessions, login throttling and call history.
-- All times are UTC (every connection sets time_zone = '+00:00'), DATETIME(3) for milliseconds.

CREATE TABLE IF NOT EXISTS users (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  -- case-folded by the application; binary collation so 'a' and 'A' never meet here
  username      VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name  VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS sessions (
  id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id             BIGINT UNSIGNED NOT NULL,
  -- SHA-256 of the token; the token itself is never stored
  token_hash          BINARY(32) NOT NULL,
  created_at          DATETIME(3) NOT NULL,
  last_seen_at        DATETIME(3) NOT NULL,
  idle_expires_at     DATETIME(3) NOT NULL,
  absolute_expires_at DATETIME(3) NOT NULL,
  revoked_at          DATETIME(3) NULL,
  user_agent          VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  ip                  VARCHAR(45) CHARACTER SET ascii NOT NULL DEFAULT '',
  UNIQUE KEY uq_sessions_token_hash (token_hash),
  KEY ix_sessions_user (user_id, revoked_at),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Failed logins per username and per client IP, for growing delays (see login_throttle.cpp).
CREATE TABLE IF NOT EXISTS login_throttle (
  scope           ENUM('user', 'ip') NOT NULL,
  subject         VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  failures        INT UNSIGNED NOT NULL DEFAULT 0,
  last_failure_at DATETIME(3) NOT NULL,
  locked_until    DATETIME(3) NULL,
  PRIMARY KEY (scope, subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS calls (
  id          CHAR(36) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  caller_id   BIGINT UNSIGNED NOT NULL,
  callee_id   BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  answered_at DATETIME(3) NULL,
  ended_at    DATETIME(3) NULL,
  -- ringing, active, accepted, declined, cancelled, missed, busy, ended
  outcome     VARCHAR(16) CHARACTER SET ascii NOT NULL,
  end_reason  VARCHAR(32) CHARACTER SET ascii NULL,
  KEY ix_calls_caller (caller_id, created_at),
  KEY ix_calls_callee (callee_id, created_at),
  CONSTRAINT fk_calls_caller FOREIGN KEY (caller_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_calls_callee FOREIGN KEY (callee_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
