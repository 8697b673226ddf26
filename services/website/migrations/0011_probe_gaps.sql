-- NAT-13 slots the prober missed: while every replica was stopped (or behind), a site's
-- scheduled slots passed unprobed. The probe that resumes the schedule takes the latest
-- slot due and records the earlier ones here, in its own transaction, as one row per
-- gap: `slots` slots, the first at first_slot, the rest on the site's grid every
-- interval_seconds up to last_slot. They are neither successes nor failures of the site
-- (it was not looked at); evaluations and annual reports show them.
CREATE TABLE IF NOT EXISTS probe_gaps (
  site_id BIGINT NOT NULL,
  first_slot DATETIME(6) NOT NULL,
  last_slot DATETIME(6) NOT NULL,
  interval_seconds INT NOT NULL,
  slots INT NOT NULL,
  recorded_time DATETIME(6) NOT NULL,
  PRIMARY KEY (site_id, first_slot),
  KEY probe_gaps_last (site_id, last_slot)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
