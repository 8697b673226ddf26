-- The consultation service (CON-1..CON-5, NAT-11). Portable to MySQL 8 and TiDB: no
-- RETURNING, no sequences; concurrency by version columns and conditional UPDATEs.

-- Drafts published for comment (决策预公开). The state is computed from the dates.
CREATE TABLE IF NOT EXISTS consultations (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  title VARCHAR(300) NOT NULL,
  draft MEDIUMTEXT NOT NULL,
  basis TEXT NOT NULL,
  category INT NOT NULL,
  domain VARCHAR(50) NOT NULL,
  decision_type INT NOT NULL,
  methods VARCHAR(100) NOT NULL,   -- Comma-separated ParticipationMethod numbers.
  channels VARCHAR(100) NOT NULL,  -- Comma-separated Channel numbers.
  opens_on DATE NOT NULL,
  closes_on DATE NOT NULL,
  period_days INT NOT NULL,
  period_explanation BLOB NOT NULL,  -- gongkai.common.v1.DeadlineExplanation.
  period_rule VARCHAR(500) NOT NULL,
  shortening_reason VARCHAR(1000) NOT NULL,
  consultation_required BOOLEAN NOT NULL,
  scope_rule VARCHAR(1000) NOT NULL,
  concluded BOOLEAN NOT NULL DEFAULT FALSE,
  conclude_time DATETIME(6) NULL,
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  KEY idx_consultations_unit (unit_id, id),
  KEY idx_consultations_opens (opens_on, id),
  KEY idx_consultations_closes (closes_on, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
