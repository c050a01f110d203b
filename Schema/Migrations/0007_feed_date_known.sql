-- pmcms store, version 7: feeds sort by the date the content is known to have.
-- 0003 fell back to `published_at` when an entry had no `edited_at`. For an imported page
-- that is the time of the import, not a date of the page, so an undated page floated to the
-- top of every feed with the import time as its date. The sort key is now `edited_at` alone:
-- entries without it are NULL, which sorts after every dated entry (newest first).

DROP TRIGGER entry_export_order_on_update;
DROP TRIGGER entry_export_order_on_insert;

UPDATE entry SET
    live_feed_date = (SELECT r.edited_at FROM revision r WHERE r.entry_id = entry.id AND r.number = entry.live),
    head_feed_date = (SELECT r.edited_at FROM revision r WHERE r.entry_id = entry.id AND r.number = entry.head);

CREATE TRIGGER entry_export_order_on_update AFTER UPDATE OF head, live ON entry
BEGIN
    UPDATE entry SET
        live_feed_date = (SELECT r.edited_at FROM revision r WHERE r.entry_id = NEW.id AND r.number = NEW.live),
        head_feed_date = (SELECT r.edited_at FROM revision r WHERE r.entry_id = NEW.id AND r.number = NEW.head)
    WHERE id = NEW.id;
END;

CREATE TRIGGER entry_export_order_on_insert AFTER INSERT ON entry
BEGIN
    UPDATE entry SET
        live_feed_date = (SELECT r.edited_at FROM revision r WHERE r.entry_id = NEW.id AND r.number = NEW.live),
        head_feed_date = (SELECT r.edited_at FROM revision r WHERE r.entry_id = NEW.id AND r.number = NEW.head)
    WHERE id = NEW.id;
END;
