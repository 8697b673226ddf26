-- Catalog service schema, version 1. Portable SQL: MySQL 8, MariaDB 10.11, TiDB.
-- Text is utf8mb4; times are UTC DATETIME(6); civil dates (Asia/Shanghai) are DATE.
-- Enums are stored as the proto enum numbers (SMALLINT) so renames never touch data.

CREATE TABLE IF NOT EXISTS units (
  id BIGINT NOT NULL AUTO_INCREMENT,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  level SMALLINT NOT NULL,
  parent_id BIGINT NOT NULL DEFAULT 0,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_units_code (code),
  KEY ix_units_parent (parent_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS documents (
  id BIGINT NOT NULL AUTO_INCREMENT,
  title VARCHAR(500) NOT NULL,
  body MEDIUMTEXT NOT NULL,
  document_number VARCHAR(100) NOT NULL DEFAULT '',
  drafting_unit_id BIGINT NOT NULL,
  issuing_authority SMALLINT NOT NULL,
  is_policy_document BOOLEAN NOT NULL DEFAULT FALSE,
  key_area SMALLINT NOT NULL DEFAULT 0,
  category_id BIGINT NOT NULL DEFAULT 0,
  disclosure_attribute SMALLINT NOT NULL DEFAULT 0,
  nondisclosure_reason VARCHAR(2000) NOT NULL DEFAULT '',
  legal_basis VARCHAR(500) NOT NULL DEFAULT '',
  publication_limit_working_days SMALLINT NOT NULL DEFAULT 0,
  state SMALLINT NOT NULL,
  return_cause VARCHAR(2000) NOT NULL DEFAULT '',
  review_outcome SMALLINT NOT NULL DEFAULT 0,
  review_note VARCHAR(2000) NOT NULL DEFAULT '',
  reviewer VARCHAR(200) NOT NULL DEFAULT '',
  -- CAT-3 publication clock: due date, the serialized DeadlineExplanation, and the
  -- calendar versions it was computed on (NAT-1: recompute when a calendar changes).
  publication_due DATE NULL,
  publication_deadline BLOB NULL,
  calendar_versions VARCHAR(200) NOT NULL DEFAULT '',
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  publish_time DATETIME(6) NULL,
  created_by VARCHAR(200) NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  KEY ix_documents_unit (drafting_unit_id, id),
  KEY ix_documents_state (state, id),
  KEY ix_documents_key_area (key_area, id),
  KEY ix_documents_category (category_id, id),
  KEY ix_documents_attribute (disclosure_attribute, id),
  KEY ix_documents_create_time (create_time, id),
  KEY ix_documents_due (disclosure_attribute, state, publication_due)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Full-text index for Chinese and other text (see docs/services/catalog.md): one row
-- per distinct term (CJK bigram or lower-cased word) per published document.
-- Portable: plain B-tree, no FULLTEXT parser needed on MySQL, MariaDB or TiDB.
CREATE TABLE IF NOT EXISTS document_terms (
  term VARCHAR(64) NOT NULL,
  document_id BIGINT NOT NULL,
  PRIMARY KEY (term, document_id),
  KEY ix_document_terms_doc (document_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS document_audit (
  id BIGINT NOT NULL AUTO_INCREMENT,
  document_id BIGINT NOT NULL,
  actor VARCHAR(200) NOT NULL,
  action VARCHAR(64) NOT NULL,
  old_state SMALLINT NOT NULL,
  new_state SMALLINT NOT NULL,
  detail VARCHAR(2000) NOT NULL DEFAULT '',
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_document_audit_doc (document_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per client-requested create (subject, method, request id): the response
-- returned the first time, returned again on retry.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  subject VARCHAR(200) NOT NULL,
  method VARCHAR(64) NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  response MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (subject, method, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS categories (
  id BIGINT NOT NULL AUTO_INCREMENT,
  parent_id BIGINT NOT NULL DEFAULT 0,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  key_area SMALLINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY uk_categories_code (code),
  KEY ix_categories_parent (parent_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- CAT-5: the catalog item and all its revisions; catalog_items.revision is current.
CREATE TABLE IF NOT EXISTS catalog_items (
  id BIGINT NOT NULL AUTO_INCREMENT,
  category_id BIGINT NOT NULL,
  responsible_unit_id BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_catalog_items_category (category_id, id),
  KEY ix_catalog_items_unit (responsible_unit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS catalog_item_revisions (
  item_id BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  category_id BIGINT NOT NULL,
  responsible_unit_id BIGINT NOT NULL,
  content VARCHAR(2000) NOT NULL,
  time_limit VARCHAR(200) NOT NULL,
  method VARCHAR(200) NOT NULL,
  changed_by VARCHAR(200) NOT NULL,
  change_time DATETIME(6) NOT NULL,
  change_note VARCHAR(1000) NOT NULL DEFAULT '',
  PRIMARY KEY (item_id, revision)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- CAT-7: one self-review per unit and year, one entry per reviewed document.
CREATE TABLE IF NOT EXISTS self_reviews (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  year INT NOT NULL,
  state SMALLINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  complete_time DATETIME(6) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_self_reviews_unit_year (unit_id, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS self_review_entries (
  review_id BIGINT NOT NULL,
  document_id BIGINT NOT NULL,
  document_title VARCHAR(500) NOT NULL,
  attribute_at_review SMALLINT NOT NULL,
  decision SMALLINT NOT NULL DEFAULT 0,
  reason VARCHAR(2000) NOT NULL DEFAULT '',
  decided_by VARCHAR(200) NOT NULL DEFAULT '',
  decide_time DATETIME(6) NULL,
  PRIMARY KEY (review_id, document_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
