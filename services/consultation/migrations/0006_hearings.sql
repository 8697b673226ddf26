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
