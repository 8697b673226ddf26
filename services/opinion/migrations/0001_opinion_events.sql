-- The opinion-response service (OPI-1..OPI-5, NAT-12). Portable to MySQL 8, TiDB, Vitess
-- and Galera: no RETURNING, no sequences; the clock scheduler claims with conditional
-- UPDATEs (no GET_LOCK, no SKIP LOCKED). DATETIME values are UTC.

-- One event. `body` is the serialized gongkai.opinion.v1.OpinionEvent without its clocks
-- and answers (ADR 0011); the columns are what lists filter on and are authoritative.
CREATE TABLE IF NOT EXISTS opinion_events (
  id BIGINT NOT NULL AUTO_INCREMENT,
  state INT NOT NULL,
  grade INT NOT NULL,
  category INT NOT NULL,
  collecting_unit_id BIGINT NOT NULL,
  lead_unit_id BIGINT NOT NULL,
  supervised TINYINT(1) NOT NULL,
  decided_not_to_respond TINYINT(1) NOT NULL,
  first_seen_time DATETIME(6) NOT NULL,
  body LONGBLOB NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  close_time DATETIME(6) NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY opinion_events_state (state, id),
  KEY opinion_events_supervised (supervised, id),
  KEY opinion_events_collecting_unit (collecting_unit_id, id),
  KEY opinion_events_first_seen (first_seen_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
