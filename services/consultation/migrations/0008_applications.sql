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
