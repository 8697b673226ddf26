-- WEB-2 supervision runs as long-running operations: the cursor (last site done) makes
-- a run resumable by any replica; claim_token/claim_expires say which replica works
-- on it now (a conditional UPDATE takes an expired claim over).
CREATE TABLE IF NOT EXISTS supervision_runs (
  id BIGINT NOT NULL AUTO_INCREMENT,
  kind SMALLINT NOT NULL,
  state SMALLINT NOT NULL,
  as_of DATE NOT NULL,
  report_year INT NOT NULL DEFAULT 0,
  report_due DATE NULL,
  report_due_rule VARCHAR(500) NOT NULL DEFAULT '',
  rule_set VARCHAR(100) NOT NULL,
  cursor_site_id BIGINT NOT NULL DEFAULT 0,
  sites_total INT NOT NULL DEFAULT 0,
  sites_done INT NOT NULL DEFAULT 0,
  sites_failed INT NOT NULL DEFAULT 0,
  sites_vetoed INT NOT NULL DEFAULT 0,
  claim_token VARCHAR(64) NULL,
  claim_expires DATETIME(6) NULL,
  started_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  finish_time DATETIME(6) NULL,
  PRIMARY KEY (id),
  KEY supervision_runs_state (state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
