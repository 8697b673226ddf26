-- Interpretations of the catalog's policy documents (INT-1 to INT-4). The content
-- (sections, plan, materials) is one JSON document per interpretation: it is read and
-- written whole, never queried.
CREATE TABLE IF NOT EXISTS interpretations (
  id BIGINT NOT NULL AUTO_INCREMENT,
  document_id BIGINT NOT NULL,
  -- = document_id for the PRIMARY interpretation, NULL for supplementary ones: one
  -- primary interpretation per document (NULLs do not collide in a UNIQUE index).
  primary_document_id BIGINT NULL,
  kind TINYINT NOT NULL,
  state TINYINT NOT NULL,
  unit_id BIGINT NOT NULL,
  document_title VARCHAR(500) NOT NULL,
  issuing_authority TINYINT NOT NULL,
  content LONGTEXT NOT NULL,
  first_interpreter VARCHAR(200) NOT NULL DEFAULT '',
  approve_time DATETIME(6) NULL,
  document_publish_time DATETIME(6) NULL,
  release_time DATETIME(6) NULL,
  release_lag_working_days INT NOT NULL DEFAULT 0,
  late TINYINT NOT NULL DEFAULT 0,
  lag_rule VARCHAR(500) NOT NULL DEFAULT '',
  supplement_reason TEXT NOT NULL,
  requested_by VARCHAR(200) NOT NULL DEFAULT '',
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY interpretations_primary (primary_document_id),
  KEY interpretations_document (document_id, id),
  KEY interpretations_unit (unit_id, id),
  KEY interpretations_state (state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
