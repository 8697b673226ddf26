-- CAT-9 / NAT-10: the annual report on government-information disclosure.
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. Enums are proto enum numbers (SMALLINT)
-- from protos/gongkai/catalog/v1/annual_report.proto; times are UTC DATETIME(6).
-- The tables of a report are computed from documents, disclosure_requests and
-- disclosure_challenges (read only); stored here are the entered figures of a draft
-- and, once published, the exact snapshot that was published.

CREATE TABLE IF NOT EXISTS annual_reports (
  id BIGINT NOT NULL AUTO_INCREMENT,
  year INT NOT NULL,
  -- 0: the whole government.
  unit_id BIGINT NOT NULL,
  -- AnnualReportState: 1 draft, 2 published.
  state SMALLINT NOT NULL,
  -- Serialized gongkai.catalog.v1.AnnualReportInputs (entered figures and texts).
  inputs MEDIUMBLOB NOT NULL,
  -- Serialized gongkai.catalog.v1.AnnualReport as published; NULL for a draft.
  snapshot MEDIUMBLOB NULL,
  document_id BIGINT NOT NULL DEFAULT 0,
  publish_time DATETIME(6) NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY uk_annual_reports_year_unit (year, unit_id),
  KEY ix_annual_reports_state (state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every save and the publication: who, when, what.
CREATE TABLE IF NOT EXISTS annual_report_audit (
  id BIGINT NOT NULL AUTO_INCREMENT,
  report_id BIGINT NOT NULL,
  actor VARCHAR(200) NOT NULL,
  action VARCHAR(64) NOT NULL,
  detail VARCHAR(2000) NOT NULL DEFAULT '',
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_annual_report_audit_report (report_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
