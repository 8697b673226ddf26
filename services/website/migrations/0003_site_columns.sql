-- Columns of a site with their class (staleness from the rule set, NAT-13) and the
-- extraction of their latest date; the last content check's outcome.
CREATE TABLE IF NOT EXISTS site_columns (
  id BIGINT NOT NULL AUTO_INCREMENT,
  site_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  column_class SMALLINT NOT NULL,
  url VARCHAR(2000) NOT NULL,
  item_selector VARCHAR(200) NOT NULL DEFAULT '',
  date_pattern VARCHAR(200) NOT NULL DEFAULT '',
  latest_date DATE NULL,
  items_found INT NOT NULL DEFAULT 0,
  undated_items INT NOT NULL DEFAULT 0,
  last_checked DATETIME(6) NULL,
  last_error VARCHAR(500) NOT NULL DEFAULT '',
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY site_columns_site (site_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
