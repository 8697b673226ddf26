-- Every comment present when comment_terms was created is to be indexed; later ones
-- are indexed when posted.
INSERT INTO comment_terms_backfill (id, next_after_id, through_id)
SELECT 1, 0, COALESCE(MAX(id), 0) FROM comments;
