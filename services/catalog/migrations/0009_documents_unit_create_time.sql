-- ASM-6 compliance evidence (services/catalog/evidence/): the documents a unit created
-- in a period (inspection items 3 and 4) are a range of this index instead of a scan
-- of every document the unit ever drafted.
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. One statement, so a failed run leaves
-- nothing half-applied and the next run executes it again.
CREATE INDEX ix_documents_unit_create_time ON documents (drafting_unit_id, create_time, id);
