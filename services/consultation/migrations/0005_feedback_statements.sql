-- The published feedback statement (CON-3, NAT-11): gongkai.consultation.v1.FeedbackStatement.
CREATE TABLE IF NOT EXISTS feedback_statements (
  consultation_id BIGINT NOT NULL,
  statement MEDIUMBLOB NOT NULL,
  publish_time DATETIME(6) NOT NULL,
  PRIMARY KEY (consultation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
