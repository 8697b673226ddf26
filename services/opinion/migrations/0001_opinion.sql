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

-- OPI-2: the responsible units of each event (the lead among them).
CREATE TABLE IF NOT EXISTS opinion_event_units (
  unit_id BIGINT NOT NULL,
  event_id BIGINT NOT NULL,
  PRIMARY KEY (unit_id, event_id),
  KEY opinion_event_units_event (event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

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

-- OPI-4/NAT-12 clocks. next_fire_time is when the scheduler must next look at the clock
-- (its due-soon time, then its deadline; NULL when nothing is left to record): the
-- scheduler's work queue, read through its index.
CREATE TABLE IF NOT EXISTS opinion_clocks (
  id BIGINT NOT NULL AUTO_INCREMENT,
  event_id BIGINT NOT NULL,
  kind INT NOT NULL,
  status INT NOT NULL,
  start_time DATETIME(6) NOT NULL,
  period_seconds BIGINT NOT NULL,
  due_time DATETIME(6) NOT NULL,
  due_soon_time DATETIME(6) NOT NULL,
  due_soon_recorded_time DATETIME(6) NULL,
  breach_recorded_time DATETIME(6) NULL,
  met_time DATETIME(6) NULL,
  met_by_response_id BIGINT NULL,
  rule TEXT NOT NULL,
  start_reason VARCHAR(500) NOT NULL,
  next_fire_time DATETIME(6) NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY opinion_clocks_next_fire (next_fire_time),
  KEY opinion_clocks_event (event_id),
  KEY opinion_clocks_running_due (status, due_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

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
