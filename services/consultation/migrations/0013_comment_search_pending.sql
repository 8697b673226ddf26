-- Search terms are written by the background indexer (comment_indexer.h), not in the
-- comment's transaction: a comment is stored with search_pending = TRUE and any replica
-- claims pending comments in batches (index_claim, a token, until index_claim_until;
-- an expired claim is taken over), writes their terms and clears search_pending in one
-- transaction. Comments stored before are indexed already (or by the backfill of 0011):
-- FALSE. The (search_pending, id) key finds the backlog, oldest first.
ALTER TABLE comments
  ADD COLUMN search_pending BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN index_claim VARCHAR(64) NULL,
  ADD COLUMN index_claim_until DATETIME(6) NULL,
  ADD KEY idx_comments_search_pending (search_pending, id);
