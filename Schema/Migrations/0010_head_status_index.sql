-- pmcms store, version 10: indexes for the review desk's queue page on large stores.
-- The queue lists entries whose head revision is in review or approved. Without an index on the
-- status, SQLite walked every revision (rows carry their bodies: gigabytes at 100,000 entries)
-- to find the few that qualify; with this one it reads only the revisions of those statuses and
-- checks each against its entry's head.
CREATE INDEX revision_by_status ON revision (status, entry_id, number);

-- The queue also lists entries whose head revision carries a schedule. This partial index holds
-- only scheduled revisions, so finding their entries never reads the revision table.
CREATE INDEX revision_scheduled ON revision (entry_id, number)
    WHERE publish_at IS NOT NULL OR expire_at IS NOT NULL;
