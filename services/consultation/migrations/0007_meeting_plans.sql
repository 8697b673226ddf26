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
