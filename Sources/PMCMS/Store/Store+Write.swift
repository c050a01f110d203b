import Foundation

/// What a change did: the entry afterwards, and the revision it appended (nil: nothing changed).
public struct ChangeResult: Sendable {
    public var header: EntryHeader
    public var revision: Int?

    public var changed: Bool { revision != nil }
}

extension ContentStore {
    // MARK: Creating

    /// Creates an entry with its first revision; returns its header.
    ///
    /// The status of `content` is kept; a `published` entry is live from revision 1.
    @discardableResult
    public func createEntry(
        kind: Kind, content: Content, author: String, origin: Origin = .edit, message: String? = nil,
        importKey: String? = nil
    ) throws -> EntryHeader {
        try content.validate(kind: kind)
        return try write { db in
            try Self.insertEntry(db, kind: kind, content: content, author: author, origin: origin, message: message, importKey: importKey, now: Timestamp.now())
        }
    }

    /// Inserts a new entry and its first revision. `imported` is the import's record of the
    /// page (`import_hash`, `import_fetched_at`, and `last_import` at the new head), written by
    /// the same statements instead of an UPDATE after them.
    static func insertEntry(
        _ db: any StoreSession, kind: Kind, content: Content, author: String, origin: Origin, message: String?,
        importKey: String?, now: String, encodedLinks: (related: String, articles: String)? = nil,
        imported: (hash: String?, fetchedAt: String?)? = nil
    ) throws -> EntryHeader {
        var content = content.normalized()
        if content.status == .published && content.publishedAt == nil { content.publishedAt = now }
        var key = importKey
        if key == nil, let source = content.sourceURL,
           try db.fetchOne("SELECT 1 FROM entry WHERE import_key = \(source)") == nil {
            key = source  // lets a later import of that page find this entry
        }
        let newID = SQLQuery.nextID("entry")
        /// The new row's id, or nil when `slug` is taken.
        func insert(_ slug: String) throws -> Int64? {
            try db.fetchValue("""
                INSERT INTO entry (\(literal: newID.column)slug, kind, import_key, head, created_at, updated_at, import_hash, import_fetched_at)
                VALUES (\(literal: newID.value)\(slug), \(kind.rawValue), \(key), 0, \(now), \(now), \(imported?.hash), \(imported?.fetchedAt))
                ON CONFLICT (slug) DO NOTHING
                RETURNING id
                """)
        }
        // The title's own slug is nearly always free: tried first, without asking (a round trip
        // on PostgreSQL), and only when taken is the next free one looked for.
        var slug = slugBase(for: content.title)
        var inserted = try insert(slug)
        if inserted == nil {
            slug = try uniqueSlug(db, for: content.title)
            inserted = try insert(slug)
        }
        guard let id = inserted else { throw StoreError.transactionWithoutResult }
        let header = EntryHeader(id: id, slug: slug, kind: kind, head: 0, live: nil, createdAt: now, updatedAt: now)
        let number = try appendRevision(
            db, header: header, parentContent: nil, content: content, origin: origin, author: author,
            message: message, upstream: false, now: now, encodedLinks: encodedLinks, newEntry: true, recordImport: imported != nil)
        // What appendRevision just wrote, without reading it back (a round trip on PostgreSQL).
        return EntryHeader(id: id, slug: slug, kind: kind, head: number, live: content.status == .published ? number : nil,
                           createdAt: now, updatedAt: now)
    }

    /// The slug a title makes, before any suffix that keeps it unique.
    static func slugBase(for title: String) -> String {
        let base = Slug.make(title)
        return Slug.isNumericID(base) ? "entry-\(base)" : base  // a numeric slug would read as an id
    }

    static func uniqueSlug(_ db: any StoreSession, for title: String) throws -> String {
        let base = slugBase(for: title)
        var candidate = base
        var suffix = 2
        while try db.fetchOne("SELECT 1 FROM entry WHERE slug = \(candidate)") != nil {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    // MARK: Editing

    /// Applies `change` to the entry's current content as one revision.
    ///
    /// A change that leaves the content as it was makes no revision. Editing the title, body or
    /// summary moves `edited_at` to the revision time unless the change set it itself. Editing
    /// an entry that is in review, approved or published makes a draft; a published revision
    /// stays live until the draft is published.
    @discardableResult
    public func edit(
        _ ref: String, author: String, message: String? = nil, expectRevision: Int? = nil,
        _ change: (inout Content) throws -> Void
    ) throws -> ChangeResult {
        try write { db in
            let header = try Self.resolve(db, ref: ref)
            try Self.refuseIfStale(header, expectRevision: expectRevision)
            let current = try Self.fetchContent(db, entryID: header.id, number: header.head)
            var next = current
            try change(&next)
            next = next.normalized()
            next.status = current.status
            next.publishedAt = current.publishedAt
            // The schedule stays with the entry; its pinned revision no longer being the head
            // is what keeps `publish-due` from publishing an edit nobody scheduled.
            next.schedule = current.schedule
            guard next != current else { return ChangeResult(header: header, revision: nil) }
            try next.validate(kind: header.kind)
            let now = Timestamp.now()
            if next.textDiffers(from: current) && next.editedAt == current.editedAt {
                next.editedAt = now
            }
            if [.inReview, .approved, .published].contains(current.status) { next.status = .draft }
            let number = try Self.appendRevision(
                db, header: header, parentContent: current, content: next, origin: .edit, author: author,
                message: message, upstream: false, now: now)
            return ChangeResult(header: try Self.requireHeader(db, id: header.id), revision: number)
        }
    }

    /// Moves the entry through the workflow: one revision with origin `workflow`.
    @discardableResult
    public func transition(
        _ ref: String, _ action: WorkflowAction, author: String, message: String? = nil, expectRevision: Int? = nil
    ) throws -> ChangeResult {
        if action.requiresMessage && (message ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw StoreError.messageRequired(action: action)
        }
        return try write { db in
            let header = try Self.resolve(db, ref: ref)
            try Self.refuseIfStale(header, expectRevision: expectRevision)
            let current = try Self.fetchContent(db, entryID: header.id, number: header.head)
            guard Workflow.allows(action, from: current.status) else {
                throw StoreError.illegalTransition(slug: header.slug, action: action, from: current.status)
            }
            if action == .approve, let problem = try Self.selfApprovalProblem(db, header: header, author: author) {
                throw problem
            }
            let now = Timestamp.now()
            var next = current
            next.status = action.target
            if action == .publish && next.publishedAt == nil { next.publishedAt = now }
            next.schedule = Self.scheduleAfter(action, current.schedule)
            let number = try Self.appendRevision(
                db, header: header, parentContent: current, content: next, origin: .workflow, author: author,
                message: message ?? action.rawValue, upstream: false, now: now)
            return ChangeResult(header: try Self.requireHeader(db, id: header.id), revision: number)
        }
    }

    /// Appends a revision whose content equals revision `number`; history is never rewritten.
    ///
    /// On an entry that is in review, approved or published the revert is a draft, unless
    /// `publish` is set, which makes it live at once.
    @discardableResult
    public func revert(
        _ ref: String, to number: Int, author: String, message: String? = nil, publish: Bool = false,
        expectRevision: Int? = nil
    ) throws -> ChangeResult {
        try write { db in
            let header = try Self.resolve(db, ref: ref)
            try Self.refuseIfStale(header, expectRevision: expectRevision)
            guard number >= 1, number <= (try Self.maxRevision(db, entryID: header.id)) else {
                throw StoreError.unknownRevision(slug: header.slug, number: number)
            }
            let current = try Self.fetchContent(db, entryID: header.id, number: header.head)
            // A revision saved before the store made bodies safe comes back safe; otherwise as it was.
            var next = try Self.fetchContent(db, entryID: header.id, number: number)
            next.body = SafeMarkdown.sanitize(next.body)
            next.status = current.status
            next.publishedAt = current.publishedAt
            next.schedule = current.schedule
            if publish {
                next.schedule.publishAt = nil
                next.schedule.pinnedRevision = nil
                next.status = .published
                if next.publishedAt == nil { next.publishedAt = Timestamp.now() }
            } else if [.inReview, .approved, .published].contains(current.status) {
                next.status = .draft
            }
            guard next != current else { return ChangeResult(header: header, revision: nil) }
            let appended = try Self.appendRevision(
                db, header: header, parentContent: current, content: next, origin: .revert, author: author,
                message: message ?? "revert to r\(number)", upstream: false, now: Timestamp.now())
            return ChangeResult(header: try Self.requireHeader(db, id: header.id), revision: appended)
        }
    }

    /// What a workflow step leaves of a schedule: publishing fulfils the publication time (the
    /// expiry stays); unpublishing or archiving ends the schedule; review steps keep it (its
    /// pinned revision is no longer the head, so it waits to be scheduled again).
    static func scheduleAfter(_ action: WorkflowAction, _ schedule: Schedule) -> Schedule {
        switch action {
        case .publish: Schedule(expireAt: schedule.expireAt)
        case .unpublish, .archive: Schedule()
        case .submit, .approve, .reject, .restore: schedule
        }
    }

    /// The stale-write guard: throws when the person saw another revision than the head.
    static func refuseIfStale(_ header: EntryHeader, expectRevision: Int?) throws {
        if let expected = expectRevision, expected != header.head {
            throw StoreError.staleRevision(slug: header.slug, expected: expected, actual: header.head)
        }
    }

    // MARK: The one place revisions are written

    /// Appends one revision and moves the entry's pointers: `head` (unless `upstream`), `live`
    /// (to this revision when it is published, off the site when it leaves `published` by a
    /// workflow step) and `updated_at`; the link table follows the head. `newEntry` says that
    /// the entry was inserted in this transaction, with no revision or link yet: what would be
    /// read to learn that is not asked (each question is a round trip on PostgreSQL; an import
    /// creates thousands of entries), and the store's checks still hold (revision 1 is the
    /// first number the triggers accept). `recordImport` also moves `last_import` to the new
    /// head, in the same statement as `head`.
    @discardableResult
    static func appendRevision(
        _ db: any StoreSession, header: EntryHeader, parentContent: Content?, content: Content, origin: Origin,
        author: String, message: String?, upstream: Bool, now: String, parent: Int? = nil,
        encodedLinks: (related: String, articles: String)? = nil, takeOffline: Bool = false, newEntry: Bool = false,
        recordImport: Bool = false
    ) throws -> Int {
        // The revision's own text fields follow the content's rule (`TextCheck`).
        try TextCheck.require(author, field: "author")
        try TextCheck.require(message, field: "message")
        let number = newEntry ? 1 : try maxRevision(db, entryID: header.id) + 1
        let (added, removed) = LineDiff.counts(from: parentContent?.body ?? "", to: content.body)
        // `encodedLinks`, when given, is `encodeLinks` of these very links, done ahead of time.
        let related = try encodedLinks?.related ?? encodeLinks(content.related)
        let articles = try encodedLinks?.articles ?? encodeLinks(content.articles)
        let metadata = RevisionMetadata(
            entryID: header.id, number: number, parent: parent ?? (header.head > 0 ? header.head : nil), origin: origin.rawValue,
            author: author, createdAt: now, message: message, upstream: upstream, linesAdded: added, linesRemoved: removed)
        let hash = revisionHash(kind: header.kind, content: content, metadata: metadata)
        let id = SQLQuery.nextID("revision")
        let insertRevision: SQLQuery = """
            INSERT INTO revision (\(literal: id.column)entry_id, number, parent, origin, author, created_at, message, upstream,
                status, title, body, summary, image_url, source_url, edited_at, published_at,
                related, articles, hash, lines_added, lines_removed, publish_at, expire_at, scheduled_revision)
            VALUES (\(literal: id.value)\(header.id), \(number), \(metadata.parent), \(origin.rawValue), \(author), \(now),
                \(message), \(upstream), \(content.status.rawValue), \(content.title), \(content.body), \(content.summary),
                \(content.imageURL), \(content.sourceURL), \(content.editedAt), \(content.publishedAt), \(related), \(articles),
                \(hash), \(added), \(removed),
                \(content.schedule.publishAt), \(content.schedule.expireAt), \(content.schedule.pinnedRevision))
            """
        if upstream {
            try db.execute(insertRevision)
            try db.execute("UPDATE entry SET updated_at = \(now) WHERE id = \(header.id)")
            return number
        }
        var live = header.live
        if content.status == .published {
            live = number
        } else if content.status == .archived || (origin == .workflow && parentContent?.status == .published) || takeOffline {
            live = nil  // archived, unpublished or expired: off the site
        }
        // A compare-and-set: the head moves from the one this change was based on, or not at
        // all. SQLite's writer holds the lock, so it always moves there; on PostgreSQL a writer
        // that lost the race finds no row, and its transaction is run again (`StoreBackend`),
        // now seeing the new head.
        let moveHead: SQLQuery = """
            UPDATE entry SET head = \(number), live = \(live), updated_at = \(now),
                last_import = COALESCE(\(recordImport ? number : nil), last_import)
            WHERE id = \(header.id) AND head = \(header.head)
            """
        // The link table and the search index follow the head, and `parentContent` is the head
        // being replaced: rewriting them with what they already hold is skipped, which makes
        // workflow steps and body-only changes cheap (75 link rows for a seed-shaped question).
        let linksChanged = parentContent == nil || parentContent?.related != content.related || parentContent?.articles != content.articles
        if linksChanged && !newEntry { try db.execute("DELETE FROM link WHERE entry_id = \(header.id)") }
        let insertLinks = linksChanged ? linkRows(entryID: header.id, related: related, articles: articles) : nil
        let moved: Int
        switch db.dialect {
        case .sqlite:
            try db.execute(insertRevision)
            moved = try db.execute(moveHead)
            if let insertLinks { try db.execute(insertLinks) }
        case .postgres:
            // One round trip instead of three (an import makes thousands of entries). The
            // statement's parts see one snapshot, and the triggers that follow the head (the feed
            // dates) run after all of them, so they see the new revision.
            moved = try db.fetchValue("""
                WITH added AS (\(literal: insertRevision)),
                     linked AS (\(literal: insertLinks ?? "SELECT 1")),
                     moved AS (\(literal: moveHead) RETURNING 1)
                SELECT count(*) FROM moved
                """) ?? 0
        }
        guard moved == 1 else { throw StoreError.headMoved(slug: header.slug, seen: header.head) }
        if parentContent.map({ content.textDiffers(from: $0) }) ?? true {
            try indexForSearch(db, entryID: header.id, content: content)
        }
        return number
    }

    /// The INSERT of an entry's link rows from the revision's link columns (the JSON just
    /// stored), for both roles at once: SQLite expands each array with `json_each`, PostgreSQL
    /// with `jsonb_array_elements`, so the rows hold exactly what the revision holds. Nil when
    /// there are none.
    static func linkRows(entryID: Int64, related: String, articles: String) -> SQLQuery? {
        guard related != "[]" || articles != "[]" else { return nil }
        return .either(
            sqlite: """
                INSERT INTO link (entry_id, role, position, title, url, slug)
                SELECT \(entryID), role, CAST(key AS INTEGER), json_extract(value, '$.title'), json_extract(value, '$.url'),
                       json_extract(value, '$.slug')
                FROM (SELECT 'related' AS role, key, value FROM json_each(\(related))
                      UNION ALL SELECT 'articles', key, value FROM json_each(\(articles)))
                """,
            postgres: """
                INSERT INTO link (entry_id, role, position, title, url, slug)
                SELECT \(entryID), l.role, l.position - 1, l.value->>'title', l.value->>'url', l.value->>'slug'
                FROM (SELECT 'related' AS role, value, position FROM jsonb_array_elements(\(related)::jsonb) WITH ORDINALITY AS r(value, position)
                      UNION ALL
                      SELECT 'articles', value, position FROM jsonb_array_elements(\(articles)::jsonb) WITH ORDINALITY AS a(value, position)) l
                """)
    }

    static func maxRevision(_ db: any StoreSession, entryID: Int64) throws -> Int {
        try db.fetchValue("SELECT COALESCE(MAX(number), 0) FROM revision WHERE entry_id = \(entryID)") ?? 0
    }

    // MARK: Hashes

    /// The content hash of a snapshot: SHA-256 of its fields in a fixed, length-prefixed
    /// layout (`SnapshotBytes`), stable across runs and platforms. What an import compares to
    /// tell a changed page, and the hash of revisions written before scheme 2 (migration 0006).
    public static func contentHash(kind: Kind, content: Content) -> String {
        "sha256:" + SHA256.hex(SnapshotBytes.hashInput(kind: kind, content: content))
    }

    /// A revision's hash (scheme 2): SHA-256 of its metadata and its snapshot.
    public static func revisionHash(kind: Kind, content: Content, metadata: RevisionMetadata) -> String {
        "sha256:" + SHA256.hex(SnapshotBytes.revisionHashInput(kind: kind, content: content, metadata: metadata))
    }
}
