-- pmcms store, version 4: no index on link URLs.
-- `link_by_url` was meant for "who links here"; no query of the store uses it (`check` reads
-- every link row and looks each target up in `entry`, whose import key is indexed), and it was
-- the dominant cost of writing: each imported question adds 75 link rows at random places in
-- it, so every transaction rewrote thousands of its pages (at 30,000 questions, importing took
-- 39 s with it, 14 s without). The link rows themselves stay, kept in step with each head.

DROP INDEX IF EXISTS link_by_url;
