-- NAT-8 (services/catalog/requests/): "already public" may point at an outside
-- publication (a gazette issue, another site) instead of a catalog document, and the
-- outcome "governed by other laws" (Art. 36(7), registration files) names the law.
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. One statement, so a failed run leaves
-- nothing half-applied and the next run executes it again.
ALTER TABLE disclosure_requests
  ADD COLUMN already_public_reference VARCHAR(1000) NOT NULL DEFAULT '',
  ADD COLUMN governing_law VARCHAR(200) NOT NULL DEFAULT '';
