-- Test schema for libs/db's migrator; idempotent like every migration must be.
CREATE TABLE IF NOT EXISTS mig_units (
  id BIGINT NOT NULL AUTO_INCREMENT,
  code VARCHAR(64) NOT NULL, -- unique; see below
  name VARCHAR(200) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_mig_units_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS mig_notes (
  id BIGINT NOT NULL AUTO_INCREMENT,
  body TEXT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
