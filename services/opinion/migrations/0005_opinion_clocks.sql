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
