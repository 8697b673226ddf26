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

-- Groups of identical and near-identical comments (a single comment is a group of one).
-- Decisions (CON-3) are made per group and count for every member.
CREATE TABLE IF NOT EXISTS comment_groups (
  id BIGINT NOT NULL AUTO_INCREMENT,
  consultation_id BIGINT NOT NULL,
  representative_comment_id BIGINT NOT NULL DEFAULT 0,
  member_count BIGINT NOT NULL DEFAULT 0,
  decision INT NOT NULL DEFAULT 0,
  reason VARCHAR(2000) NOT NULL DEFAULT '',
  decided_by VARCHAR(200) NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  KEY idx_groups_consultation (consultation_id, id),
  KEY idx_groups_decision (consultation_id, decision)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS comments (
  id BIGINT NOT NULL AUTO_INCREMENT,
  consultation_id BIGINT NOT NULL,
  group_id BIGINT NOT NULL,
  text TEXT NOT NULL,
  name VARCHAR(100) NOT NULL,
  contact VARCHAR(200) NOT NULL,
  show_name BOOLEAN NOT NULL,
  client_key CHAR(64) NOT NULL,  -- SHA-256 of the signed-in subject or the client address.
  created_on DATE NOT NULL,      -- Asia/Shanghai, for the per-client daily limit.
  visibility INT NOT NULL,
  hide_reason INT NOT NULL DEFAULT 0,
  report_count INT NOT NULL DEFAULT 0,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_comments_consultation (consultation_id, id),
  KEY idx_comments_group (group_id, id),
  KEY idx_comments_client (client_key, created_on),
  KEY idx_comments_reported (report_count)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per distinct SimHash of a consultation's comments, with its six bands
-- indexed: near-identical candidates are the rows sharing a band.
CREATE TABLE IF NOT EXISTS comment_fingerprints (
  consultation_id BIGINT NOT NULL,
  fingerprint BIGINT NOT NULL,
  band0 INT NOT NULL,
  band1 INT NOT NULL,
  band2 INT NOT NULL,
  band3 INT NOT NULL,
  band4 INT NOT NULL,
  band5 INT NOT NULL,
  group_id BIGINT NOT NULL,
  PRIMARY KEY (consultation_id, fingerprint),
  KEY idx_fp_band0 (consultation_id, band0),
  KEY idx_fp_band1 (consultation_id, band1),
  KEY idx_fp_band2 (consultation_id, band2),
  KEY idx_fp_band3 (consultation_id, band3),
  KEY idx_fp_band4 (consultation_id, band4),
  KEY idx_fp_band5 (consultation_id, band5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The published feedback statement (CON-3, NAT-11): gongkai.consultation.v1.FeedbackStatement.
CREATE TABLE IF NOT EXISTS feedback_statements (
  consultation_id BIGINT NOT NULL,
  statement MEDIUMBLOB NOT NULL,
  publish_time DATETIME(6) NOT NULL,
  PRIMARY KEY (consultation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Hearings and symposiums (CON-2).
CREATE TABLE IF NOT EXISTS hearings (
  id BIGINT NOT NULL AUTO_INCREMENT,
  consultation_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  kind INT NOT NULL,
  title VARCHAR(300) NOT NULL,
  place VARCHAR(300) NOT NULL,
  held_on DATE NOT NULL,
  notice_published_on DATE NOT NULL,
  notice_due DATE NOT NULL,
  notice_rule VARCHAR(500) NOT NULL,
  notice_explanation VARCHAR(2000) NOT NULL,
  participant_limit INT NOT NULL,
  minutes MEDIUMTEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_hearings_consultation (consultation_id, id),
  KEY idx_hearings_unit (unit_id, held_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Meeting plans (CON-4 open meetings; the decision on a matter, CON-3 attachment).
CREATE TABLE IF NOT EXISTS meeting_plans (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  title VARCHAR(300) NOT NULL,
  meeting_on DATE NOT NULL,
  decides_category INT NOT NULL,
  domain VARCHAR(50) NOT NULL,
  consultation_id BIGINT NOT NULL,
  major_livelihood_topic BOOLEAN NOT NULL,
  invited VARCHAR(100) NOT NULL,    -- Comma-separated AttendeeKind numbers.
  is_public BOOLEAN NOT NULL,
  broadcast VARCHAR(100) NOT NULL,  -- Comma-separated BroadcastMedium numbers.
  live_stream_url VARCHAR(500) NOT NULL,
  feedback_statement MEDIUMBLOB NULL,
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  KEY idx_meetings_unit (unit_id, meeting_on),
  KEY idx_meetings_deciding (decides_category, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Applications to take part in a hearing or symposium, or to attend an open meeting.
CREATE TABLE IF NOT EXISTS applications (
  id BIGINT NOT NULL AUTO_INCREMENT,
  target INT NOT NULL,
  target_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  contact VARCHAR(200) NOT NULL,
  attendee_kind INT NOT NULL,
  statement VARCHAR(2000) NOT NULL,
  selected BOOLEAN NOT NULL DEFAULT FALSE,
  attended BOOLEAN NOT NULL DEFAULT FALSE,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_applications_target (target, target_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
