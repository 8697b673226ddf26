-- The assessment service's tables. Records are kept as their proto message (`body`,
-- ADR 0011) beside the columns that are queried; portable to MySQL 8 and TiDB.

-- Long-running assessment runs. A replica claims a run with a conditional UPDATE of
-- claim_owner/claim_until (no GET_LOCK, no SKIP LOCKED); a run whose claim expired is
-- taken over by another replica.
CREATE TABLE IF NOT EXISTS assessment_runs (
  id BIGINT NOT NULL AUTO_INCREMENT,
  year INT NOT NULL,
  state TINYINT NOT NULL,
  rule_set VARCHAR(200) NOT NULL,
  units_total INT NOT NULL DEFAULT 0,
  units_scored INT NOT NULL DEFAULT 0,
  items_unavailable INT NOT NULL DEFAULT 0,
  attempts INT NOT NULL DEFAULT 0,
  progress VARCHAR(1000) NOT NULL DEFAULT '',
  started_by VARCHAR(200) NOT NULL,
  next_attempt_time DATETIME(6) NOT NULL,
  retry_until DATETIME(6) NOT NULL,
  claim_owner VARCHAR(100) NULL,
  claim_until DATETIME(6) NULL,
  create_time DATETIME(6) NOT NULL,
  finish_time DATETIME(6) NULL,
  PRIMARY KEY (id),
  KEY assessment_runs_by_state (state, next_attempt_time),
  KEY assessment_runs_by_year (year, state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
