-- Full-text search on PostgreSQL (issue 19, item 3): the same words found as SQLite's FTS5
-- table `search` finds (Schema/Migrations/0002_search.sql), with the same query syntax
-- (`SearchSyntax`, translated by PostgresStore's `PostgresSearch`).
--
-- FTS5 indexes each entry's head revision: its title, body and summary, tokenised by
-- `unicode61 remove_diacritics 2` (letters and digits make words, everything else separates
-- them; lower case; accents folded; no stemming, no stop words). Here every revision carries a
-- generated `tsvector` of the same three fields, and a search joins each entry's head, so the
-- index follows every write that adds a revision, whatever writes it (the store, `store copy`),
-- with no trigger to keep in step. Older revisions are in the GIN index too, which makes it
-- larger than FTS5's, never the results different.

-- unaccent folds accents (`café` → `cafe`). Creating an extension needs the database's owner
-- (or a superuser): the role that runs the first migration must own the database.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- The `simple` configuration (lower case, no stemming, no stop words) with unaccent before it,
-- as a dictionary: the index, the queries and `ts_headline` fold accents alike, and a snippet
-- still shows the text as it was written.
CREATE TEXT SEARCH CONFIGURATION pmcms_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION pmcms_search
    ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part,
        hword_numpart, email, protocol, url, host, url_path, file, sfloat, float, int, uint, version, tag, entity
    WITH unaccent, simple;

-- PostgreSQL's parser reads `example.com` as one host, `non-IT` as a compound and `3.14` as one
-- number, where FTS5 sees two words each. Separators become spaces first, so the parser sees
-- only words: ASCII punctuation and symbols, Latin-1's, general punctuation, arrows and other
-- symbols, CJK and full-width punctuation, emoji. Written as code points, not as [:alnum:],
-- so that it does not depend on the database's locale (under "C", [:alnum:] is ASCII only).
CREATE FUNCTION pmcms_search_text(content text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT regexp_replace(content,
    '[\s!-/:-@\[-`{-~\u00a0-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u00d7\u00f7\u2000-\u206f\u20a0-\u20cf\u2100-\u2101\u2103-\u2106\u2108-\u2109\u2114\u2116-\u2118\u211e-\u2123\u2125\u2127\u2129\u212e\u2190-\u2bff\u3000-\u3004\u3008-\u3020\u3030\u303d-\u303f\ufe10-\ufe19\ufe30-\ufe6f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\U0001f000-\U0001faff]+',
    ' ', 'g')
$$;

-- The document: title weighted A, summary B, body D. ts_rank's default weights (A 1.0, B 0.4,
-- D 0.1) then weigh them 10 : 4 : 1, as bm25(search, 10.0, 1.0, 4.0) does on SQLite. The body
-- is indexed up to its first 100,000 characters: a tsvector holds at most 1 MB, and a page
-- over it would otherwise be refused by the insert (FTS5 has no such limit).
ALTER TABLE revision ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('pmcms_search'::regconfig, pmcms_search_text(title)), 'A') ||
    setweight(to_tsvector('pmcms_search'::regconfig, pmcms_search_text(COALESCE(summary, ''))), 'B') ||
    setweight(to_tsvector('pmcms_search'::regconfig, pmcms_search_text(left(body, 100000))), 'D')
) STORED;

CREATE INDEX revision_search ON revision USING gin (search);

-- One phrase of a query (`SearchSyntax`'s phrases, bound as a parameter, never spliced into
-- SQL) as a tsquery: its words in order joined by <->, the last one a prefix (:*) when asked.
-- The words are split by the same separators as the document and quoted as tsquery lexemes,
-- so punctuation, quotes, backslashes, colons and operators in what a person typed are never
-- tsquery syntax. A phrase with no words is the empty query, which && and || pass over.
-- IMMUTABLE as to_tsquery(regconfig, text) itself is: the planner folds it to a constant once
-- per query, instead of rebuilding it for every row it ranks.
CREATE FUNCTION pmcms_search_phrase(words text, prefix boolean) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_tsquery('pmcms_search'::regconfig,
        COALESCE(string_agg('''' || replace(replace(word, '\', '\\'), '''', '''''') || '''', ' <-> ' ORDER BY n), '')
        || CASE WHEN prefix AND count(*) > 0 THEN ':*' ELSE '' END)
    FROM regexp_split_to_table(btrim(pmcms_search_text(words)), ' +') WITH ORDINALITY AS t(word, n)
    WHERE word <> ''
$$;
