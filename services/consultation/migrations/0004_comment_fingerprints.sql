-- One row per distinct SimHash of a consultation's comments, with its six bands
-- indexed: near-identical candidates are the rows sharing a band.
CREATE TABLE IF NOT EXISTS comment_fingerprints (
  consultation_id BIGINT NOT NULL,
  fingerprint BIGINT NOT NULL,
  band0 INT NOT NULL,
  band1 INT NOT NULL,
  band2 INT NOT NULL,
  band3 INT NOT NULL,
  band4 INT NOT NULL,
  band5 INT NOT NULL,
  group_id BIGINT NOT NULL,
  PRIMARY KEY (consultation_id, fingerprint),
  KEY idx_fp_band0 (consultation_id, band0),
  KEY idx_fp_band1 (consultation_id, band1),
  KEY idx_fp_band2 (consultation_id, band2),
  KEY idx_fp_band3 (consultation_id, band3),
  KEY idx_fp_band4 (consultation_id, band4),
  KEY idx_fp_band5 (consultation_id, band5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
