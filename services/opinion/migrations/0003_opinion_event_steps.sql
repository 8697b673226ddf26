-- OPI-1: every step, with who and when.
CREATE TABLE IF NOT EXISTS opinion_event_steps (
  id BIGINT NOT NULL AUTO_INCREMENT,
  event_id BIGINT NOT NULL,
  actor VARCHAR(200) NOT NULL,
  action VARCHAR(64) NOT NULL,
  old_state INT NOT NULL,
  new_state INT NOT NULL,
  detail TEXT NOT NULL,
  step_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY opinion_event_steps_event (event_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
