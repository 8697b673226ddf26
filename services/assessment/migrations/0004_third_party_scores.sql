CREATE TABLE IF NOT EXISTS third_party_scores (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  year INT NOT NULL,
  body BLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY third_party_scores_by_year (year, unit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
