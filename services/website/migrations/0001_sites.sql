-- WEB-1 the register of government websites and new-media accounts, with their
-- lifecycle state; WEB-5 migration onto the upper-level platform; WEB-6 procedures.
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. One DDL statement per file. Enums are
-- proto enum numbers from protos/gongkai/website/v1/website.proto; civil dates are
-- Asia/Shanghai DATE, times UTC DATETIME(6).
CREATE TABLE IF NOT EXISTS sites (
  id BIGINT NOT NULL AUTO_INCREMENT,
  unit_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  kind SMALLINT NOT NULL,
  url VARCHAR(2000) NOT NULL,
  state SMALLINT NOT NULL,
  filing_number VARCHAR(100) NOT NULL DEFAULT '',
  level_protection_date DATE NULL,
  level_protection_result VARCHAR(200) NOT NULL DEFAULT '',
  migrated_to_site_id BIGINT NOT NULL DEFAULT 0,
  editing_procedure VARCHAR(4000) NOT NULL DEFAULT '',
  inquiry_procedure VARCHAR(4000) NOT NULL DEFAULT '',
  last_update_date DATE NULL,
  inquiries_answered INT NOT NULL DEFAULT 0,
  -- Newline-separated names the prober looks for on the home page (NAT-13).
  leader_names VARCHAR(2000) NOT NULL DEFAULT '',
  -- 1 while the prober schedules the site (a website in operation).
  probed TINYINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY sites_unit (unit_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
