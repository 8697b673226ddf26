-- WEB-1/WEB-5: every change of a site (create, state changes, procedures, migration).
CREATE TABLE IF NOT EXISTS site_history (
  id BIGINT NOT NULL AUTO_INCREMENT,
  site_id BIGINT NOT NULL,
  actor VARCHAR(200) NOT NULL,
  action VARCHAR(50) NOT NULL,
  old_state VARCHAR(30) NOT NULL DEFAULT '',
  new_state VARCHAR(30) NOT NULL DEFAULT '',
  detail VARCHAR(4000) NOT NULL DEFAULT '',
  change_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY site_history_site (site_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
