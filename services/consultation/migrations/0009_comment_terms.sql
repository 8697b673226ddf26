-- Staff search over a consultation's comments (ADR 0004, libs/search): one row per
-- distinct term (CJK bigram or lower-cased word) of each comment, written in the
-- comment's transaction. A query's terms must all be present; the (consultation, term)
-- prefix of the primary key drives it. Plain B-tree: MySQL 8, MariaDB, TiDB alike.
CREATE TABLE IF NOT EXISTS comment_terms (
  consultation_id BIGINT NOT NULL,
  term VARCHAR(64) NOT NULL,
  comment_id BIGINT NOT NULL,
  PRIMARY KEY (consultation_id, term, comment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
