-- pmcms store, version 6: revision hashes cover every field of a revision.
-- Until now a revision's hash covered its snapshot only, so an outside tool could rewrite who
-- made a change, when, why and how (author, created_at, message, origin…) and `verify` passed.
-- Revisions written from now on hash every column but their id (scheme 2). Revisions are never
-- rewritten, so the older ones keep their snapshot-only hash (scheme 1): this records the first
-- revision id of scheme 2, and `verify` checks each revision by the scheme it was written with.
CREATE TABLE revision_hash_scheme (
    scheme            INTEGER PRIMARY KEY,
    first_revision_id INTEGER NOT NULL
);

INSERT INTO revision_hash_scheme (scheme, first_revision_id)
VALUES (2, COALESCE((SELECT MAX(id) FROM revision), 0) + 1);
