-- One unit of a run: its total, rank and (in `position`) its place in the ranking.
CREATE TABLE IF NOT EXISTS assessment_run_units (
  run_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  unit_code VARCHAR(64) NOT NULL,
  unit_name VARCHAR(500) NOT NULL,
  total DECIMAL(9,2) NOT NULL,
  complete TINYINT NOT NULL,
  unavailable_items INT NOT NULL,
  unit_rank INT NOT NULL DEFAULT 0,
  position INT NOT NULL DEFAULT 0,
  performance_contribution DOUBLE NOT NULL DEFAULT 0,
  items MEDIUMBLOB NOT NULL,
  PRIMARY KEY (run_id, unit_id),
  KEY assessment_run_units_by_position (run_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
