-- ASM-4: one plan per unit and year.
CREATE TABLE IF NOT EXISTS training_plans (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  year INT NOT NULL,
  body MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY training_plans_once (unit_id, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
