-- CAT-9 / NAT-10: the annual report's publication is frozen first, then completed.
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. One ALTER statement, so a failed run
-- leaves nothing half-applied and the next run executes it again.
--
-- state gains 3 (ANNUAL_REPORT_PUBLISHING): the snapshot is frozen and its catalog
-- document (document_id, 0 until created) is being published. Who started (or last
-- took over) the publication and when: a publication without a document is leased to
-- that user for 2 minutes (services/catalog/annual_report/annual_reports.cc).

ALTER TABLE annual_reports
  ADD COLUMN publication_started_by VARCHAR(200) NOT NULL DEFAULT '',
  ADD COLUMN publication_started_at DATETIME(6) NULL;
