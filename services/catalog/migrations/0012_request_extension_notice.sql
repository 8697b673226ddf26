-- NAT-7 (services/catalog/requests/): the notice of extension sent to the applicant when
-- the head of the disclosure office approves an extension: its text, the day it was
-- issued and the channel it went by (a RequestChannel number; 0 before this migration).
-- The text is TEXT (NULL for rows written before, read as empty): the table's VARCHAR
-- columns already fill MySQL's 65,535-byte row limit, and a TEXT column has no portable
-- literal default.
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. One statement, so a failed run leaves
-- nothing half-applied and the next run executes it again.
ALTER TABLE disclosure_requests
  ADD COLUMN extension_notice_text TEXT NULL,
  ADD COLUMN extension_notice_on DATE NULL,
  ADD COLUMN extension_notice_channel SMALLINT NOT NULL DEFAULT 0;
