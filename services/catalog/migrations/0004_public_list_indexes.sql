-- Indexes for the public listings (state = PUBLISHED) filtered by key area, category or
-- unit, newest first: each serves its WHERE and ORDER BY id without a sort, so a page
-- costs the same on a million documents as on a hundred.
CREATE INDEX ix_documents_state_key_area ON documents (state, key_area, id);
CREATE INDEX ix_documents_state_category ON documents (state, category_id, id);
CREATE INDEX ix_documents_unit_state ON documents (drafting_unit_id, state, id);
