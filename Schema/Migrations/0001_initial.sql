-- pmcms store, version 1.
-- Entries are identities; all content lives in revisions, which are full snapshots that are
-- never updated or deleted. `entry.head` points at the current revision, `entry.live` at the
-- one shown on the site (NULL when nothing is published).

CREATE TABLE entry (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('question', 'article')),
    -- The URL an import identifies the page by; it never changes once set, even when an
    -- editor changes the visible source_url, so that re-imports find the same entry.
    import_key  TEXT UNIQUE,
    head        INTEGER NOT NULL DEFAULT 0,  -- revision number of the current content
    live        INTEGER,                     -- revision number shown on the site
    last_import INTEGER,                     -- revision number of the newest import revision
    import_hash TEXT,                        -- content hash of what the page gave last time
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE revision (
    id           INTEGER PRIMARY KEY,
    entry_id     INTEGER NOT NULL REFERENCES entry(id),
    number       INTEGER NOT NULL CHECK (number >= 1),
    parent       INTEGER,
    origin       TEXT NOT NULL CHECK (origin IN ('import', 'edit', 'workflow', 'revert')),
    author       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    message      TEXT,
    -- 1 for an import that arrived after an editor's change: kept in history, never current.
    upstream     INTEGER NOT NULL DEFAULT 0 CHECK (upstream IN (0, 1)),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'archived')),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    summary      TEXT,
    image_url    TEXT,
    source_url   TEXT,
    edited_at    TEXT,
    published_at TEXT,
    related      TEXT NOT NULL DEFAULT '[]',  -- JSON array of {"title", "url", "slug"}
    articles     TEXT NOT NULL DEFAULT '[]',
    hash         TEXT NOT NULL,
    -- Body lines added and removed against the parent, computed once when the revision is
    -- written so that history never has to diff.
    lines_added   INTEGER NOT NULL DEFAULT 0,
    lines_removed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (entry_id, number)
);

CREATE INDEX revision_by_time ON revision (created_at);
CREATE INDEX revision_by_author ON revision (author, created_at);

-- Links of each entry's head revision, kept in step with it, so that unresolved links and
-- "who points here" are queries rather than scans of JSON.
CREATE TABLE link (
    entry_id  INTEGER NOT NULL REFERENCES entry(id),
    role      TEXT NOT NULL CHECK (role IN ('related', 'articles')),
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL,
    url       TEXT,
    slug      TEXT,
    PRIMARY KEY (entry_id, role, position)
) WITHOUT ROWID;

CREATE INDEX link_by_url ON link (url);

-- What each imported file looked like last time, so that an unchanged file is skipped before
-- it is parsed.
CREATE TABLE import_file (
    path       TEXT PRIMARY KEY,   -- the file's identity: its source URL or path
    hash       TEXT NOT NULL,      -- SHA-256 of the file's bytes
    imported_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER revision_is_append_only_update BEFORE UPDATE ON revision
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only: UPDATE of a revision is refused');
END;

CREATE TRIGGER revision_is_append_only_delete BEFORE DELETE ON revision
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only: DELETE of a revision is refused');
END;

CREATE TRIGGER revision_numbers_are_contiguous BEFORE INSERT ON revision
WHEN NEW.number <> 1 + COALESCE((SELECT MAX(number) FROM revision WHERE entry_id = NEW.entry_id), 0)
BEGIN
    SELECT RAISE(ABORT, 'revision numbers must be contiguous per entry');
END;
