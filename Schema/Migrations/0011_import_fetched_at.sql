-- pmcms store, version 11: the fetch date of an entry's most recent imported capture.
-- A WARC record says when the crawler fetched the page (WARC-Date). An archive imported after a
-- newer one would otherwise add its older captures as newer revisions, and the old text would
-- replace the new. The import compares an incoming capture's date with this column and skips
-- a capture older than the stored one. NULL: the entry was never imported from a dated capture.
ALTER TABLE entry ADD COLUMN import_fetched_at TEXT;

-- Stores that imported archives before this version said each capture's date only in its
-- revision message, `… (fetched 2026-11-15T09:30:00Z)`: read once here, the latest per entry,
-- so that their entries are protected too. Only a full UTC timestamp is taken.
UPDATE entry SET import_fetched_at = (
    SELECT MAX(substr(r.message, instr(r.message, '(fetched ') + 9, 20))
    FROM revision r
    WHERE r.entry_id = entry.id AND r.origin = 'import' AND instr(r.message, '(fetched ') > 0
      AND substr(r.message, instr(r.message, '(fetched ') + 9, 21)
          GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z)')
WHERE import_key IS NOT NULL;
