-- pmcms store, version 9: accounts for `pmcms serve`.
-- A person who reviews in the browser logs in with an account: a name (the author of every
-- revision they make there), a role, and a bcrypt hash of their password (never the password).
-- Accounts are not content: they have no revisions. Every change to one is recorded in
-- `account_event`, which, like `revision`, can only be appended to.
CREATE TABLE account (
    name          TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('writer', 'reviewer', 'publisher', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE account_event (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    account TEXT NOT NULL,
    action  TEXT NOT NULL CHECK (action IN ('add', 'passwd', 'remove')),
    role    TEXT,               -- the role given (add) or held when removed
    by      TEXT NOT NULL       -- who did it: the CLI's --author, or the admin's account
);

CREATE TRIGGER account_event_append_only_update BEFORE UPDATE ON account_event
BEGIN
    SELECT RAISE(ABORT, 'account events are append-only');
END;

CREATE TRIGGER account_event_append_only_delete BEFORE DELETE ON account_event
BEGIN
    SELECT RAISE(ABORT, 'account events are append-only');
END;
