-- pmcms store, version 3: the sort keys of the exports.
-- Feeds want the newest N entries by the `edited_at` of their live (or head) revision, else its
-- `published_at` (the date a feed shows for it). Those values live in `revision`, and an index
-- cannot reach across a join, so every revision of an entry would be visited to find the
-- newest N. Each entry therefore carries a copy of that date for its live and head revisions,
-- kept in step by a trigger whenever `head` or `live` moves (the one way the store changes
-- which revision is current), and indexed.

ALTER TABLE entry ADD COLUMN live_feed_date TEXT;
ALTER TABLE entry ADD COLUMN head_feed_date TEXT;

UPDATE entry SET
    live_feed_date = (SELECT COALESCE(r.edited_at, r.published_at) FROM revision r WHERE r.entry_id = entry.id AND r.number = entry.live),
    head_feed_date = (SELECT COALESCE(r.edited_at, r.published_at) FROM revision r WHERE r.entry_id = entry.id AND r.number = entry.head);

CREATE TRIGGER entry_export_order_on_update AFTER UPDATE OF head, live ON entry
BEGIN
    UPDATE entry SET
        live_feed_date = (SELECT COALESCE(r.edited_at, r.published_at) FROM revision r WHERE r.entry_id = NEW.id AND r.number = NEW.live),
        head_feed_date = (SELECT COALESCE(r.edited_at, r.published_at) FROM revision r WHERE r.entry_id = NEW.id AND r.number = NEW.head)
    WHERE id = NEW.id;
END;

CREATE TRIGGER entry_export_order_on_insert AFTER INSERT ON entry
BEGIN
    UPDATE entry SET
        live_feed_date = (SELECT COALESCE(r.edited_at, r.published_at) FROM revision r WHERE r.entry_id = NEW.id AND r.number = NEW.live),
        head_feed_date = (SELECT COALESCE(r.edited_at, r.published_at) FROM revision r WHERE r.entry_id = NEW.id AND r.number = NEW.head)
    WHERE id = NEW.id;
END;

-- The newest-N feed of published entries, and of every entry's head (`export --all`).
CREATE INDEX entry_by_live_feed_date ON entry (live_feed_date) WHERE live IS NOT NULL;
CREATE INDEX entry_by_head_feed_date ON entry (head_feed_date);
