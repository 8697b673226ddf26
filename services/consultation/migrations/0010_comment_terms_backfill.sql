-- Comments stored before comment_terms existed are indexed by the running service in
-- batches (ids after next_after_id up to through_id); one row.
CREATE TABLE IF NOT EXISTS comment_terms_backfill (
  id INT NOT NULL,
  next_after_id BIGINT NOT NULL,
  through_id BIGINT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
