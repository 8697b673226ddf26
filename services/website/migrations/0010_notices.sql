-- WEB-4 notices of criticism with rectification deadlines, re-checks and escalation.
CREATE TABLE IF NOT EXISTS notices (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  site_id BIGINT NOT NULL,
  run_id BIGINT NOT NULL DEFAULT 0,
  reason VARCHAR(4000) NOT NULL,
  state SMALLINT NOT NULL,
  issued_on DATE NOT NULL,
  rectify_by DATE NOT NULL,
  rectify_by_explanation BLOB NOT NULL,
  rectification_report VARCHAR(4000) NOT NULL DEFAULT '',
  rechecks INT NOT NULL DEFAULT 0,
  last_recheck_passed TINYINT NOT NULL DEFAULT 0,
  last_recheck_summary VARCHAR(4000) NOT NULL DEFAULT '',
  escalation VARCHAR(4000) NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  issued_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY notices_unit (unit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
