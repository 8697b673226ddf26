CREATE TABLE IF NOT EXISTS spot_check_results (
  id BIGINT NOT NULL AUTO_INCREMENT,
  draw_id BIGINT NOT NULL,
  body BLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY spot_check_results_by_draw (draw_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
