CREATE TABLE IF NOT EXISTS notes (
  id BIGINT NOT NULL AUTO_INCREMENT,
  text VARCHAR(500) NOT NULL,
  created_on DATE NOT NULL,
  reply_working_days INT NOT NULL,
  reply_due DATE NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
