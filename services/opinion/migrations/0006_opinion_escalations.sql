-- Escalations recorded by the scheduler: one per clock and stage, ever.
CREATE TABLE IF NOT EXISTS opinion_escalations (
  id BIGINT NOT NULL AUTO_INCREMENT,
  clock_id BIGINT NOT NULL,
  event_id BIGINT NOT NULL,
  clock_kind INT NOT NULL,
  stage INT NOT NULL,
  due_time DATETIME(6) NOT NULL,
  record_time DATETIME(6) NOT NULL,
  recorded_by VARCHAR(200) NOT NULL,
  lead_unit_id BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY opinion_escalations_once (clock_id, stage),
  KEY opinion_escalations_event (event_id, id),
  KEY opinion_escalations_lead_unit (lead_unit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
