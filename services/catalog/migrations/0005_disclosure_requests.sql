-- CAT-8 disclosure on request (NAT-5 to NAT-9) and its Table 4 challenges (NAT-10).
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. Enums are proto enum numbers (SMALLINT)
-- from protos/gongkai/catalog/v1/disclosure_types.proto and disclosure_requests.proto;
-- civil dates are Asia/Shanghai DATE, times are UTC DATETIME(6).
-- The annual report (annual_report/, migration 0006) reads these tables: a request is
-- "new" in the year of received_on, "handled" in the year of answered_on, and open
-- while outcome IS NULL.

CREATE TABLE IF NOT EXISTS disclosure_requests (
  id BIGINT NOT NULL AUTO_INCREMENT,
  -- The unit that holds and handles the request (units.id); AssignRequest changes it.
  unit_id BIGINT NOT NULL,
  -- Tracking access without an account: the code is public, only SHA-256 of the
  -- secret is stored (hex).
  tracking_code VARCHAR(32) NOT NULL,
  secret_sha256 CHAR(64) NOT NULL,
  applicant_type SMALLINT NOT NULL,
  applicant_name VARCHAR(200) NOT NULL,
  -- SHA-256 (hex) of the normalized identity document number: NAT-9 counts requests
  -- per applicant per calendar month without storing the number itself.
  applicant_key CHAR(64) NOT NULL,
  applicant_contact VARCHAR(500) NOT NULL DEFAULT '',
  channel SMALLINT NOT NULL,
  state SMALLINT NOT NULL,
  -- CAT-7: what information is asked for (counted for the "most requested" list).
  subject VARCHAR(500) NOT NULL,
  description VARCHAR(4000) NOT NULL DEFAULT '',
  received_on DATE NOT NULL,
  -- NAT-6: the reply period runs from here (receipt, or receipt of the correction).
  clock_start_on DATE NOT NULL,
  correction_due_on DATE NULL,
  correction_notice_on DATE NULL,
  correction_notice_text VARCHAR(2000) NOT NULL DEFAULT '',
  corrected_on DATE NULL,
  consultation_third_party VARCHAR(200) NOT NULL DEFAULT '',
  consultation_started_on DATE NULL,
  consultation_due_on DATE NULL,
  consultation_ended_on DATE NULL,
  -- NAT-6 Art. 32: working days of consultation not counted in the reply period.
  paused_working_days INT NOT NULL DEFAULT 0,
  -- NAT-7: one extension of at most 20 working days, approver and reason.
  extension_working_days SMALLINT NOT NULL DEFAULT 0,
  extension_approver VARCHAR(200) NOT NULL DEFAULT '',
  extension_reason VARCHAR(2000) NOT NULL DEFAULT '',
  extended_on DATE NULL,
  -- The reply due date, the serialized DeadlineExplanation and calendar versions.
  reply_due_on DATE NULL,
  reply_deadline BLOB NULL,
  calendar_versions VARCHAR(200) NOT NULL DEFAULT '',
  outcome SMALLINT NULL,
  outcome_reason VARCHAR(2000) NOT NULL DEFAULT '',
  answered_on DATE NULL,
  answered_by VARCHAR(200) NOT NULL DEFAULT '',
  on_the_spot BOOLEAN NOT NULL DEFAULT FALSE,
  already_public_document_id BIGINT NULL,
  holder_name VARCHAR(200) NOT NULL DEFAULT '',
  -- NAT-9: one method per request (FeeMethod), the volume, the amount and its reasons.
  fee_method SMALLINT NOT NULL DEFAULT 0,
  fee_pages INT NOT NULL DEFAULT 0,
  fee_fen BIGINT NOT NULL DEFAULT 0,
  fee_explanation VARCHAR(2000) NOT NULL DEFAULT '',
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY uk_disclosure_requests_tracking (tracking_code),
  KEY ix_disclosure_requests_unit (unit_id, id),
  KEY ix_disclosure_requests_unit_due (unit_id, state, reply_due_on),
  KEY ix_disclosure_requests_received (unit_id, received_on),
  KEY ix_disclosure_requests_answered (unit_id, answered_on),
  KEY ix_disclosure_requests_applicant (applicant_key, received_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every transition of a request: shown to the applicant (tracking) and to staff; also
-- the audit trail (actor, time).
CREATE TABLE IF NOT EXISTS disclosure_request_history (
  id BIGINT NOT NULL AUTO_INCREMENT,
  request_id BIGINT NOT NULL,
  actor VARCHAR(200) NOT NULL,
  action VARCHAR(64) NOT NULL,
  old_state SMALLINT NOT NULL,
  new_state SMALLINT NOT NULL,
  event_on DATE NOT NULL,
  detail VARCHAR(2000) NOT NULL DEFAULT '',
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_disclosure_request_history_request (request_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- NAT-10 Table 4: administrative review and litigation against a request decision.
CREATE TABLE IF NOT EXISTS disclosure_challenges (
  id BIGINT NOT NULL AUTO_INCREMENT,
  request_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  kind SMALLINT NOT NULL,
  result SMALLINT NOT NULL,
  filed_on DATE NOT NULL,
  decided_on DATE NULL,
  case_number VARCHAR(100) NOT NULL DEFAULT '',
  note VARCHAR(2000) NOT NULL DEFAULT '',
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_disclosure_challenges_request (request_id, id),
  KEY ix_disclosure_challenges_unit (unit_id, filed_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
