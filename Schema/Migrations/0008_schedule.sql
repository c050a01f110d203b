-- pmcms store, version 8: scheduled publishing and expiry (`pmcms schedule`, `pmcms publish-due`).
-- A schedule is workflow state, kept on the revision like `status` and `published_at`, so that
-- history, diff and log show who scheduled what and when:
--   publish_at         when an approved entry goes live (UTC); cleared once it is published;
--   expire_at          when a published entry leaves the site (UTC); cleared once it has;
--   scheduled_revision the revision the schedule pinned (the one `schedule` wrote). Edits and
--                      workflow steps carry the three columns forward, so a head whose number
--                      differs from it was changed after scheduling: `publish-due` reports it
--                      instead of publishing content nobody scheduled.
-- Existing revisions hold NULL in all three, and a revision's hash covers them only when one is
-- set (`SnapshotBytes`), so every hash written before this migration still verifies.
ALTER TABLE revision ADD COLUMN publish_at TEXT;
ALTER TABLE revision ADD COLUMN expire_at TEXT;
ALTER TABLE revision ADD COLUMN scheduled_revision INTEGER;

-- `publish-due` and `check` look for heads that are due and live revisions that expire: these
-- partial indexes hold only the revisions that carry a schedule.
CREATE INDEX revision_publish_at ON revision (publish_at) WHERE publish_at IS NOT NULL;
CREATE INDEX revision_expire_at ON revision (expire_at) WHERE expire_at IS NOT NULL;
