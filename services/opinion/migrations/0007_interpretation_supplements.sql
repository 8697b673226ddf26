-- INT-2/OPI-1 (issues 9 and 11): supplementary interpretations an opinion event asked the
-- interpretation service for after a policy was misread. The row is written in the same
-- transaction as the event's change and its outbox event (outbox_events, libs/outbox);
-- interpretation_id and deliver_time are set once the relay delivered it.
CREATE TABLE IF NOT EXISTS opinion_interpretation_supplements (
  id BIGINT NOT NULL AUTO_INCREMENT,
  event_id BIGINT NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  document_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  requested_by VARCHAR(200) NOT NULL,
  request_time DATETIME(6) NOT NULL,
  interpretation_id BIGINT NULL,
  deliver_time DATETIME(6) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY opinion_interpretation_supplements_request (request_id),
  KEY opinion_interpretation_supplements_event (event_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
