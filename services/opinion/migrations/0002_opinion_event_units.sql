-- OPI-2: the responsible units of each event (the lead among them).
CREATE TABLE IF NOT EXISTS opinion_event_units (
  unit_id BIGINT NOT NULL,
  event_id BIGINT NOT NULL,
  PRIMARY KEY (unit_id, event_id),
  KEY opinion_event_units_event (event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
