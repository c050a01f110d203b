-- Text compares byte by byte, as in SQLite (BINARY), whatever the database's own collation
-- (issue 19): a database made with an en_US or ICU locale would otherwise sort slugs, link
-- addresses and times differently from SQLite ("B" after "a"), and the same command would print
-- its lines in another order on the two backends. The columns the store sorts or compares as
-- text get the "C" collation; title sorting lowers its text with COLLATE "C" in the query.
ALTER TABLE entry
    ALTER COLUMN slug TYPE TEXT COLLATE "C",
    ALTER COLUMN import_key TYPE TEXT COLLATE "C",
    ALTER COLUMN created_at TYPE TEXT COLLATE "C",
    ALTER COLUMN updated_at TYPE TEXT COLLATE "C",
    ALTER COLUMN live_feed_date TYPE TEXT COLLATE "C",
    ALTER COLUMN head_feed_date TYPE TEXT COLLATE "C";
ALTER TABLE revision
    ALTER COLUMN created_at TYPE TEXT COLLATE "C",
    ALTER COLUMN author TYPE TEXT COLLATE "C",
    ALTER COLUMN edited_at TYPE TEXT COLLATE "C",
    ALTER COLUMN publish_at TYPE TEXT COLLATE "C",
    ALTER COLUMN expire_at TYPE TEXT COLLATE "C";
ALTER TABLE link
    ALTER COLUMN url TYPE TEXT COLLATE "C",
    ALTER COLUMN slug TYPE TEXT COLLATE "C";
ALTER TABLE setting ALTER COLUMN key TYPE TEXT COLLATE "C";
ALTER TABLE import_root ALTER COLUMN root TYPE TEXT COLLATE "C";
ALTER TABLE import_file ALTER COLUMN path TYPE TEXT COLLATE "C";
