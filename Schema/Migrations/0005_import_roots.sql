-- pmcms store, version 5: the site roots of imports.
-- A page without a canonical URL imported with `--base-url` is identified by the base plus its
-- path from the site root. The root is the folder named on the command line (or `--root`); it
-- is recorded here, per base URL, so that a later import of a folder inside it (`site/legacy/`
-- after `site/`) gives its pages the same paths, and so the same identities, as the first one.
CREATE TABLE import_root (
    base_url    TEXT NOT NULL,
    root        TEXT NOT NULL,   -- absolute path, symbolic links resolved
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (base_url, root)
) WITHOUT ROWID;
