-- comment_fingerprints was copied into comment_fingerprint_bands by 0014.
DROP TABLE IF EXISTS comment_fingerprints;
