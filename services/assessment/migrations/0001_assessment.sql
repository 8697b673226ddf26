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

-- One unit of a run: its total, rank and (in `position`) its place in the ranking.
CREATE TABLE IF NOT EXISTS assessment_run_units (
  run_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  unit_code VARCHAR(64) NOT NULL,
  unit_name VARCHAR(500) NOT NULL,
  total DECIMAL(9,2) NOT NULL,
  complete TINYINT NOT NULL,
  unavailable_items INT NOT NULL,
  unit_rank INT NOT NULL DEFAULT 0,
  position INT NOT NULL DEFAULT 0,
  performance_contribution DOUBLE NOT NULL DEFAULT 0,
  items MEDIUMBLOB NOT NULL,
  PRIMARY KEY (run_id, unit_id),
  KEY assessment_run_units_by_position (run_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS inspector_evidence (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  year INT NOT NULL,
  item INT NOT NULL,
  body MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY inspector_evidence_by_year (year, unit_id, item, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS third_party_scores (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  year INT NOT NULL,
  body BLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY third_party_scores_by_year (year, unit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Draws (ASM-2). `seed` stays secret (never read into an answer) until state = DRAWN;
-- a DRAWN row is never updated again (the UPDATE that draws requires state = COMMITTED).
CREATE TABLE IF NOT EXISTS draws (
  id BIGINT NOT NULL AUTO_INCREMENT,
  state TINYINT NOT NULL,
  seed CHAR(64) NOT NULL,
  commitment CHAR(64) NOT NULL,
  body MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  draw_time DATETIME(6) NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS spot_check_results (
  id BIGINT NOT NULL AUTO_INCREMENT,
  draw_id BIGINT NOT NULL,
  body BLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY spot_check_results_by_draw (draw_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ASM-3 triggers: one per run, unit and kind.
CREATE TABLE IF NOT EXISTS accountability_triggers (
  id BIGINT NOT NULL AUTO_INCREMENT,
  run_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  year INT NOT NULL,
  kind INT NOT NULL,
  body MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY accountability_triggers_once (run_id, unit_id, kind),
  KEY accountability_triggers_by_year (year, unit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS summonses (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  body MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY summonses_by_unit (unit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS notices (
  id BIGINT NOT NULL AUTO_INCREMENT,
  kind INT NOT NULL,
  body MEDIUMBLOB NOT NULL,
  publish_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ASM-4: one plan per unit and year.
CREATE TABLE IF NOT EXISTS training_plans (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  year INT NOT NULL,
  body MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY training_plans_once (unit_id, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS training_sessions (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  session_date DATE NOT NULL,
  body MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY training_sessions_by_unit (unit_id, session_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
