-- CON-3 grouping reads one index: a row per (fingerprint, band), the band's number and
-- value in band_key (number * 2048 + value; bands are at most 11 bits). The candidates
-- of a new comment are one range read of the primary key (six band keys), with no
-- UNION (a temporary table per comment on MariaDB) and no secondary index to maintain.
-- Replaces comment_fingerprints (a row with six indexed band columns), whose rows are
-- copied here; 0015 drops it.
CREATE TABLE IF NOT EXISTS comment_fingerprint_bands (
  consultation_id BIGINT NOT NULL,
  band_key INT NOT NULL,
  fingerprint BIGINT NOT NULL,
  group_id BIGINT NOT NULL,
  PRIMARY KEY (consultation_id, band_key, fingerprint)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO comment_fingerprint_bands (consultation_id, band_key, fingerprint, group_id)
SELECT consultation_id, band0, fingerprint, group_id FROM comment_fingerprints
UNION ALL SELECT consultation_id, 2048 + band1, fingerprint, group_id FROM comment_fingerprints
UNION ALL SELECT consultation_id, 4096 + band2, fingerprint, group_id FROM comment_fingerprints
UNION ALL SELECT consultation_id, 6144 + band3, fingerprint, group_id FROM comment_fingerprints
UNION ALL SELECT consultation_id, 8192 + band4, fingerprint, group_id FROM comment_fingerprints
UNION ALL SELECT consultation_id, 10240 + band5, fingerprint, group_id FROM comment_fingerprints;
