-- Full-text search over each entry's current title, body and summary. The row id is the
-- entry id; the store replaces an entry's row in the same transaction as every head change.
-- remove_diacritics 2 lets "resume" find "résumé" and "programme" find "Programme".
CREATE VIRTUAL TABLE search USING fts5 (
    title, body, summary,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO search (rowid, title, body, summary)
SELECT e.id, r.title, r.body, COALESCE(r.summary, '')
FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head;
