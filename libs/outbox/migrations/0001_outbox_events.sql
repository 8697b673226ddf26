-- Owned by libs/outbox (outbox.h, docs/adr/0024-transactional-outbox.md): events a
-- service must deliver to another service, written in the same transaction as the
-- change that caused them and delivered at least once by a relay. Applied to a
-- service's database as the library migration set "outbox".
--
-- state: 0 pending (not yet delivered: new, in flight or backing off), 1 delivered
-- (kept for the retention, then purged), 2 parked (a permanent failure; kept until an
-- operator requeues it). A relay claims pending rows by setting claim_token and
-- claim_until with one conditional UPDATE (no SKIP LOCKED, no GET_LOCK), so several
-- replicas never deliver the same event at once; an expired claim is taken over.
--
-- Indexes (few: every one costs each Enqueue and each state change): the unique
-- event_key dedups Enqueue; (state, id) walks the pending events in id order, so a
-- claim reads the first batch of due ones and stops, however long the backlog (and
-- gives the backlog and the purge their rows); (topic, ordering_key, state, id)
-- answers "is an earlier event with this ordering key pending?". A relay finds its
-- claimed rows by primary key and claim_token, so the token needs no index. On TiDB, AUTO_ID_CACHE=1 (a TiDB-only comment,
-- ignored by MySQL and MariaDB) keeps ids in allocation order across TiDB servers,
-- which per-key delivery order relies on.
CREATE TABLE IF NOT EXISTS outbox_events (
  id BIGINT NOT NULL AUTO_INCREMENT,
  topic VARCHAR(64) NOT NULL,
  destination VARCHAR(64) NOT NULL,
  event_key VARCHAR(128) NOT NULL,
  ordering_key VARCHAR(128) NOT NULL,
  payload MEDIUMBLOB NOT NULL,
  state TINYINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  attempts INT NOT NULL,
  next_attempt_time DATETIME(6) NOT NULL,
  claim_token VARCHAR(64) NULL,
  claimed_by VARCHAR(128) NOT NULL,
  claim_until DATETIME(6) NULL,
  last_error VARCHAR(1024) NOT NULL,
  delivered_time DATETIME(6) NULL,
  parked_time DATETIME(6) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_outbox_events_event_key (event_key),
  KEY idx_outbox_events_state (state, id),
  KEY idx_outbox_events_order (topic, ordering_key, state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin /*T![auto_id_cache] AUTO_ID_CACHE=1 */;
