CREATE TABLE IF NOT EXISTS comments (
  id BIGINT NOT NULL AUTO_INCREMENT,
  consultation_id BIGINT NOT NULL,
  group_id BIGINT NOT NULL,
  text TEXT NOT NULL,
  name VARCHAR(100) NOT NULL,
  contact VARCHAR(200) NOT NULL,
  show_name BOOLEAN NOT NULL,
  client_key CHAR(64) NOT NULL,  -- SHA-256 of the signed-in subject or the client address.
  created_on DATE NOT NULL,      -- Asia/Shanghai, for the per-client daily limit.
  visibility INT NOT NULL,
  hide_reason INT NOT NULL DEFAULT 0,
  report_count INT NOT NULL DEFAULT 0,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_comments_consultation (consultation_id, id),
  KEY idx_comments_group (group_id, id),
  KEY idx_comments_client (client_key, created_on),
  KEY idx_comments_reported (report_count)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
