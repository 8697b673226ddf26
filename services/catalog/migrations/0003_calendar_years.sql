-- NAT-1: year calendars loaded at run time (a newly published year, or an amended
-- notice). Every replica loads these over its built-in data at start and when they
-- change, so all replicas compute the same deadlines.
CREATE TABLE IF NOT EXISTS calendar_years (
  year INT NOT NULL,
  version VARCHAR(64) NOT NULL,
  calendar_json MEDIUMTEXT NOT NULL,
  loaded_by VARCHAR(200) NOT NULL,
  load_time DATETIME(6) NOT NULL,
  PRIMARY KEY (year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
