-- NAT-13 probe results. A scheduled probe is unique per (site, slot): two replicas can
-- never both record the same slot. Extra probes (ProbeSiteNow, re-checks) use
-- scheduled = 0 and their own time as slot. `detail` is the serialized
-- gongkai.website.v1.Probe (columns, broken links).
CREATE TABLE IF NOT EXISTS probes (
  id BIGINT NOT NULL AUTO_INCREMENT,
  site_id BIGINT NOT NULL,
  slot_start DATETIME(6) NOT NULL,
  scheduled TINYINT NOT NULL,
  probe_time DATETIME(6) NOT NULL,
  home_ok TINYINT NOT NULL,
  content_checked TINYINT NOT NULL,
  home_latest_date DATE NULL,
  elapsed_ms BIGINT NOT NULL,
  detail MEDIUMBLOB NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY probes_slot (site_id, slot_start, scheduled),
  KEY probes_site_time (site_id, probe_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
