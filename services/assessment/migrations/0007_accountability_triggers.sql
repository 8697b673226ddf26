-- ASM-3 triggers: one per run, unit and kind.
CREATE TABLE IF NOT EXISTS accountability_triggers (
  id BIGINT NOT NULL AUTO_INCREMENT,
  run_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  year INT NOT NULL,
  kind INT NOT NULL,
  body MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY accountability_triggers_once (run_id, unit_id, kind),
  KEY accountability_triggers_by_year (year, unit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
