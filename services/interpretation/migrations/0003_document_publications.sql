-- The publications of policy documents the catalog reported through its outbox (one
-- row per document: a redelivered event finds its row and changes nothing).
CREATE TABLE IF NOT EXISTS document_publications (
  document_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  issuing_authority TINYINT NOT NULL,
  document_title VARCHAR(500) NOT NULL,
  publish_time DATETIME(6) NOT NULL,
  event_id VARCHAR(128) NOT NULL,
  receive_time DATETIME(6) NOT NULL,
  PRIMARY KEY (document_id),
  KEY document_publications_unit (unit_id, document_id),
  KEY document_publications_time (unit_id, publish_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
