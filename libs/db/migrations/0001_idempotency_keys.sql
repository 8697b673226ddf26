-- Owned by libs/db (idempotency.h): one row per client-requested create (subject,
-- method, request id), the response returned the first time and again on retry.
-- Applied to every service's database as the library migration set "idempotency".
CREATE TABLE IF NOT EXISTS idempotency_keys (
  subject VARCHAR(200) NOT NULL,
  method VARCHAR(64) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  response MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (subject, method, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
