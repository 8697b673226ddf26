-- Groups of identical and near-identical comments (a single comment is a group of one).
-- Decisions (CON-3) are made per group and count for every member.
CREATE TABLE IF NOT EXISTS comment_groups (
  id BIGINT NOT NULL AUTO_INCREMENT,
  consultation_id BIGINT NOT NULL,
  representative_comment_id BIGINT NOT NULL DEFAULT 0,
  member_count BIGINT NOT NULL DEFAULT 0,
  decision INT NOT NULL DEFAULT 0,
  reason VARCHAR(2000) NOT NULL DEFAULT '',
  decided_by VARCHAR(200) NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  KEY idx_groups_consultation (consultation_id, id),
  KEY idx_groups_decision (consultation_id, decision)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
