-- INT-4: where and how each released interpretation was published.
CREATE TABLE IF NOT EXISTS interpretation_releases (
  id BIGINT NOT NULL AUTO_INCREMENT,
  interpretation_id BIGINT NOT NULL,
  form TINYINT NOT NULL,
  channel TINYINT NOT NULL,
  reference TEXT NOT NULL,
  released_on DATE NOT NULL,
  recorded_by VARCHAR(200) NOT NULL,
  record_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY interpretation_releases_interpretation (interpretation_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
