-- One site's evaluation in a run (serialized gongkai.website.v1.SiteEvaluation).
CREATE TABLE IF NOT EXISTS supervision_results (
  run_id BIGINT NOT NULL,
  site_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  passed TINYINT NOT NULL,
  vetoed TINYINT NOT NULL,
  score DOUBLE NOT NULL,
  evaluation MEDIUMBLOB NOT NULL,
  PRIMARY KEY (run_id, site_id),
  KEY supervision_results_unit (unit_id, run_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
