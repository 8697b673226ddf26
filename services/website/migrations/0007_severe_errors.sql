-- NAT-13 severe errors recorded by inspectors with their evidence.
CREATE TABLE IF NOT EXISTS severe_errors (
  id BIGINT NOT NULL AUTO_INCREMENT,
  site_id BIGINT NOT NULL,
  kind SMALLINT NOT NULL,
  page_url VARCHAR(2000) NOT NULL,
  evidence VARCHAR(4000) NOT NULL,
  found_on DATE NOT NULL,
  recorded_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY severe_errors_site (site_id, found_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
