-- CAT-7 (services/catalog/self_review/): the information most often requested from a
-- unit in the review's year, stored with its self-review when the review starts (the
-- grouping of services/catalog/requests/most_requested.h) and decided there item by
-- item: DISCLOSE_PROACTIVELY (1) with the catalog item and document it is disclosed
-- through (document_action: 1 linked, 2 converted, 3 created; catalog_item_created when
-- the decision created the item), or KEEP_ON_REQUEST (2) with a reason. A review completes only when every
-- item is decided (decision <> 0).
-- `details` is a serialized gongkai.catalog.v1.MostRequestedInformation holding the
-- group's other wordings and request ids (read back whole, never queried).
-- Portable SQL: MySQL 8, MariaDB 10.11, TiDB. One statement.
CREATE TABLE IF NOT EXISTS self_review_most_requested (
  review_id BIGINT NOT NULL,
  item_number INT NOT NULL,
  group_key VARCHAR(1100) NOT NULL,
  subject VARCHAR(500) NOT NULL,
  request_count INT NOT NULL,
  applicant_count INT NOT NULL,
  already_public_document_id BIGINT NOT NULL DEFAULT 0,
  already_public_reference VARCHAR(1000) NOT NULL DEFAULT '',
  details BLOB NULL,
  decision SMALLINT NOT NULL DEFAULT 0,
  reason VARCHAR(2000) NOT NULL DEFAULT '',
  catalog_item_id BIGINT NOT NULL DEFAULT 0,
  document_id BIGINT NOT NULL DEFAULT 0,
  document_action SMALLINT NOT NULL DEFAULT 0,
  catalog_item_created BOOLEAN NOT NULL DEFAULT FALSE,
  decided_by VARCHAR(200) NOT NULL DEFAULT '',
  decide_time DATETIME(6) NULL,
  PRIMARY KEY (review_id, item_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
