-- CON-3: the catalog document that records the statement attached to a meeting plan
-- (delivered through the outbox); 0 until the catalog acknowledged it.
ALTER TABLE meeting_plans ADD COLUMN statement_document_id BIGINT NOT NULL DEFAULT 0;
