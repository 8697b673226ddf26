-- NAT-13 scheduling shared by replicas: a site's next slot and who claimed it. A
-- replica claims due rows with a conditional UPDATE (claim_token, claim_expires); a
-- claim whose replica stopped expires and another replica takes the slot over. After
-- the probe the row moves to the next slot. No locks held across the probe.
CREATE TABLE IF NOT EXISTS probe_schedule (
  site_id BIGINT NOT NULL,
  next_slot DATETIME(6) NOT NULL,
  claim_token VARCHAR(64) NULL,
  claim_expires DATETIME(6) NULL,
  last_content_check DATETIME(6) NULL,
  PRIMARY KEY (site_id),
  KEY probe_schedule_due (next_slot)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
