-- The request hash of each stored response (idempotency::RequestHash, 64 hex
-- characters): a reused request id with a different request is refused, not replayed.
-- Rows stored before this migration get '' meaning "unknown": they replay as before.
-- One statement (a re-run after a timeout meets error 1060, treated as applied).
ALTER TABLE idempotency_keys ADD COLUMN request_hash CHAR(64) NOT NULL DEFAULT ''
