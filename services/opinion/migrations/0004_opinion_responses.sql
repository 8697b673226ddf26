-- Published answers; `body` is the serialized gongkai.opinion.v1.EventResponse.
CREATE TABLE IF NOT EXISTS opinion_responses (
  id BIGINT NOT NULL AUTO_INCREMENT,
  event_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  publish_time DATETIME(6) NOT NULL,
  body LONGBLOB NOT NULL,
  record_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY opinion_responses_event (event_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
