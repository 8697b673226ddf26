-- The purge of records older than the retention (PurgeIdempotencyRecords) finds them
-- by create_time without scanning the table. One statement.
CREATE INDEX idx_idempotency_keys_create_time ON idempotency_keys (create_time)
