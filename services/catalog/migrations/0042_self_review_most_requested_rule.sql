-- CAT-7: the threshold a review's most-requested list was built with (different
-- applicants) and the catalog.self_review rule that gave it (RuleRef::Explain() and
-- VersionKey()); 0 and empty for reviews started before this migration, which have no
-- stored list.
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. One statement.
ALTER TABLE self_reviews
  ADD COLUMN most_requested_min_applicants INT NOT NULL DEFAULT 0,
  ADD COLUMN most_requested_rule VARCHAR(1000) NOT NULL DEFAULT '',
  ADD COLUMN most_requested_rule_version VARCHAR(200) NOT NULL DEFAULT '';
