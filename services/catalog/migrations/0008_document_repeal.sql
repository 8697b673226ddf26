-- NAT-10 Table 2: a published policy document can be repealed (废止) once
-- (RepealDocument). It stays PUBLISHED; repealed_on (Asia/Shanghai DATE) marks it
-- 已废止, NULL while it is in force (现行有效). The annual report counts a document as
-- repealed in the year of repealed_on and in force at a year end unless repealed on or
-- before Dec 31.
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. One ALTER statement, so a failed run
-- leaves nothing half-applied and the next run executes it again.

ALTER TABLE documents
  ADD COLUMN repealed_on DATE NULL,
  ADD COLUMN repealing_document VARCHAR(500) NOT NULL DEFAULT '',
  ADD COLUMN repeal_reason VARCHAR(2000) NOT NULL DEFAULT '';
