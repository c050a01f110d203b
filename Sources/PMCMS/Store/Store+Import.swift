import Foundation
import GRDB

/// One entry a page gives, identified by the URL it was found at.
public struct IncomingEntry: Sendable, Equatable {
    /// The import identity: the page's source URL, with `#fragment` for a question of a
    /// many-question page, or an article card's link.
    public var key: String
    public var kind: Kind
    /// The content the page gives; its status is only used for entries the import creates.
    public var content: Content {
        didSet { prepared = nil }  // worked out from the old content: no longer true
    }
    /// A card gives only part of an article (title, summary, image): it creates the entry when
    /// missing and never changes an existing one, whose own page is the authority.
    public var isCard: Bool
    /// The key comes from where the page was found (no canonical URL or `og:url` of its own):
    /// replacing an entry that holds an entirely different page is then a collision, not a revision.
    public var identifiedByPath: Bool
    /// What the store works out from the content alone, done ahead by `prepare()`.
    var prepared: PreparedContent?

    public init(key: String, kind: Kind, content: Content, isCard: Bool = false, identifiedByPath: Bool = false) {
        self.key = key
        self.kind = kind
        self.content = content
        self.isCard = isCard
        self.identifiedByPath = identifiedByPath
    }

    /// Normalises and checks the content and computes its import hash and link columns now,
    /// on the caller's thread: the importer does this on its parsing threads, so that the one
    /// thread that writes only writes. Throws what the import would (`StoreError.invalidField`).
    public mutating func prepare() throws {
        prepared = try PreparedContent(kind: kind, content: content)
    }
}

/// An incoming entry's content as the import stores it: normal form, draft status, no
/// publication time, with its content hash and its links encoded for the revision columns.
struct PreparedContent: Sendable, Equatable {
    var content: Content
    var importHash: String
    var related: String
    var articles: String

    init(kind: Kind, content incoming: Content) throws {
        // A page's stray control characters (a NUL, an ESC) are dropped, not a reason to lose the page.
        var content = incoming.removingControlCharacters().normalized()
        try content.validate(kind: kind)
        // Status and publication belong to the store's workflow, not to the page.
        content.status = .draft
        content.publishedAt = nil
        self.content = content
        importHash = ContentStore.contentHash(kind: kind, content: content)
        related = try ContentStore.encodeLinks(content.related)
        articles = try ContentStore.encodeLinks(content.articles)
    }
}

/// One page to import: its entries, and the file it came from so that an unchanged file can
/// be skipped next time without parsing.
public struct PageImport: Sendable {
    public var fileKey: String?
    public var fileHash: String?
    public var entries: [IncomingEntry]
    /// Said in each revision message this page makes, in parentheses after the default one:
    /// `imported (fetched 2026-11-30T10:00:00Z)` for a WARC capture. Ignored when the import
    /// gives a message of its own.
    public var note: String?
    /// When the page was fetched (a WARC capture's date, canonical UTC), when known: an entry
    /// whose stored capture is newer keeps it, and this page is skipped for it
    /// (`ImportOutcome.olderCapture`).
    public var fetchedAt: String?

    public init(fileKey: String? = nil, fileHash: String? = nil, entries: [IncomingEntry], note: String? = nil, fetchedAt: String? = nil) {
        self.fileKey = fileKey
        self.fileHash = fileHash
        self.entries = entries
        self.note = note
        self.fetchedAt = fetchedAt
    }
}

/// What importing one entry did.
public enum ImportOutcome: Sendable, Equatable {
    case created(slug: String)
    case updated(slug: String, revision: Int)
    case unchanged(slug: String)
    /// An editor changed the entry since its last import: their text stays current and the
    /// page's version is kept as the unmerged upstream revision `upstream`.
    case conflict(slug: String, upstream: Int)
    /// The page was fetched before the entry's most recent imported capture (`stored`): nothing
    /// written, so that an older archive imported after a newer one never replaces newer text.
    case olderCapture(slug: String, stored: String)
}

/// The result of importing one page: its outcomes, or why the whole page was rolled back.
public struct PageImportResult: Sendable {
    public var fileKey: String?
    public var outcomes: [ImportOutcome]
    public var error: PageImportError?
}

/// Why one page of an import was rolled back (its savepoint), the other pages kept.
public enum PageImportError: Error, Equatable, CustomStringConvertible {
    /// The content model refused a value of the page (`StoreError.invalidField` and the like).
    case refused(StoreError)
    /// The page would replace an entirely different page with the same identity.
    case collision(ImportCollision)
    /// SQLite refused the page's write (a constraint), in SQLite's words.
    case database(message: String)

    /// The error a page's savepoint ended with, as one of the cases.
    public init(_ error: any Error) {
        switch error {
        case let error as StoreError: self = .refused(error)
        case let error as ImportCollision: self = .collision(error)
        case let error as DatabaseError: self = .database(message: error.description)
        default: self = .database(message: String(describing: error))
        }
    }

    public var description: String {
        switch self {
        case .refused(let error): error.description
        case .collision(let collision): collision.description
        case .database(let message): message
        }
    }
}

extension ContentStore {
    /// Imports pages in one transaction, each page inside its own savepoint: a page that fails
    /// is rolled back alone and reported, the others are kept. With `dryRun` everything is
    /// computed and then rolled back, so the outcomes say what would change.
    ///
    /// `roots` are site roots to record for a base URL (`import_root`), in the same transaction
    /// as the pages identified from them: no commit of its own.
    public func importPages(
        _ pages: [PageImport], newStatus: Status, author: String, message: String? = nil, dryRun: Bool = false,
        roots: (baseURL: String, paths: [String])? = nil
    ) throws -> [PageImportResult] {
        // On PostgreSQL a savepoint is two more round trips for every page, and a batch's pages
        // nearly always all go in: the batch is written without them first, and only when one
        // of its pages fails is that transaction rolled back and the batch written again, each
        // page in its own savepoint, so that the outcome is the same as with them from the start.
        if backend != nil {
            do {
                return try importPages(pages, newStatus: newStatus, author: author, message: message, dryRun: dryRun, roots: roots, savepoints: false)
            } catch is PageFailedWithoutSavepoint {}
        }
        return try importPages(pages, newStatus: newStatus, author: author, message: message, dryRun: dryRun, roots: roots, savepoints: true)
    }

    /// A page failed in a batch written without savepoints: the batch is written again with them.
    private struct PageFailedWithoutSavepoint: Error {}

    private func importPages(
        _ pages: [PageImport], newStatus: Status, author: String, message: String?, dryRun: Bool,
        roots: (baseURL: String, paths: [String])?, savepoints: Bool
    ) throws -> [PageImportResult] {
        try write(rollback: dryRun) { db in
            // Made afresh by each run of the transaction (PostgreSQL runs it again after a lost race).
            var results: [PageImportResult] = []
            let now = Timestamp.now()
            if let roots { try Self.recordImportRoots(db, baseURL: roots.baseURL, roots: roots.paths, now: now) }
            // The files of the pages kept, by key, recorded together after the last page.
            var files: [String: String] = [:]
            // What the store holds for every entry of the batch, read in one statement (one round
            // trip on PostgreSQL instead of one for each page). An entry a page writes, or whose
            // write a failed page rolls back, is read again by a later page with its key.
            var stored = try Self.importedRows(db, keys: pages.flatMap { $0.entries.map(\.key) })
            for page in pages {
                do {
                    let (outcomes, keep) = try db.savepoint(if: savepoints) {
                        let outcomes = try page.entries.map { incoming in
                            var known = stored[incoming.key] ?? .unknown
                            if case .unknown = known { known = try Self.importedRow(db, key: incoming.key) }
                            let outcome = try Self.importEntry(
                                db, incoming, stored: known.row, newStatus: newStatus, author: author,
                                message: message, note: page.note, fetchedAt: page.fetchedAt, now: now)
                            // A card of an entry the store has is only a link, nothing written: kept
                            // as read (a dozen pages of a batch name the same article). Anything else
                            // may have been written: read again when a later page names it.
                            if case .row = known, incoming.isCard { stored[incoming.key] = known } else { stored[incoming.key] = .unknown }
                            return outcome
                        }
                        // A page skipped whole as an older capture is not recorded as imported:
                        // importing it again says again why it was skipped.
                        let allOlder = !outcomes.isEmpty && outcomes.allSatisfy {
                            if case .olderCapture = $0 { true } else { false }
                        }
                        return (outcomes, !allOlder)
                    }
                    if keep, let key = page.fileKey, let hash = page.fileHash { files[key] = hash }
                    results.append(PageImportResult(fileKey: page.fileKey, outcomes: outcomes, error: nil))
                } catch where db.mustAbort(error) {
                    throw error  // the store itself is in trouble (or the race was lost): stop, roll everything back
                } catch where !savepoints {
                    throw PageFailedWithoutSavepoint()  // its writes cannot be undone alone: again, with savepoints
                } catch {
                    // Its writes were rolled back: what it read or wrote is read again.
                    for incoming in page.entries { stored[incoming.key] = .unknown }
                    results.append(PageImportResult(fileKey: page.fileKey, outcomes: [], error: PageImportError(error)))
                }
            }
            try Self.recordImportedFiles(db, files, now: now)
            return results
        }
    }

    /// Records the files of the pages an import kept, with their hashes, in one statement (one
    /// round trip on PostgreSQL, instead of one for each page), in the pages' transaction.
    static func recordImportedFiles(_ db: any StoreSession, _ files: [String: String], now: String) throws {
        guard !files.isEmpty else { return }
        let rows = String(decoding: try JSONEncoder().encode(files.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }), as: UTF8.self)
        // SQLite's upsert needs a WHERE after a SELECT, to tell its ON from a join's.
        try db.execute(.either(
            sqlite: """
                INSERT INTO import_file (path, hash, imported_at)
                SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), \(now) FROM json_each(\(rows)) WHERE true
                ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, imported_at = excluded.imported_at
                """,
            postgres: """
                INSERT INTO import_file (path, hash, imported_at)
                SELECT f->>0, f->>1, \(now) FROM jsonb_array_elements(\(rows)::jsonb) AS f
                ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, imported_at = excluded.imported_at
                """))
    }

    /// The hash each file had when it was last imported, by file key.
    public func importedFileHashes() throws -> [String: String] {
        try read { db in
            var hashes: [String: String] = [:]
            for row in try db.fetchAll("SELECT path, hash FROM import_file") { hashes[try row["path"]] = try row["hash"] }
            return hashes
        }
    }

    /// What the store holds for an import key, as far as `importedRows` knows.
    enum StoredImport {
        /// Not read yet (or written since): read before `importEntry` is called.
        case unknown
        /// Read: no entry has the key.
        case none
        /// Read: the entry with the key.
        case row(SQLRow)

        var row: SQLRow? {
            if case .row(let found) = self { found } else { nil }
        }
    }

    /// The columns `importEntry` reads of an entry with an import key.
    static let importColumns: SQLQuery = "id, slug, import_key, last_import, import_hash, import_fetched_at"

    /// What the store holds for one import key, read now.
    static func importedRow(_ db: any StoreSession, key: String) throws -> StoredImport {
        try db.fetchOne("SELECT \(literal: importColumns) FROM entry WHERE import_key = \(key)").map { .row($0) } ?? .none
    }

    /// The entries with any of `keys`, in one statement: a batch's pages name hundreds of
    /// entries (a seed-shaped page a dozen article cards), and one query for each was most of an
    /// import's round trips on PostgreSQL.
    static func importedRows(_ db: any StoreSession, keys: [String]) throws -> [String: StoredImport] {
        guard keys.count > 1 else { return [:] }  // one entry: importEntry's own query is as cheap
        let json = String(decoding: try JSONEncoder().encode(keys), as: UTF8.self)
        let list: SQLQuery = .either(
            sqlite: "IN \(literal: jsonElements(json))",
            postgres: "= ANY(ARRAY(SELECT jsonb_array_elements_text(\(json)::jsonb)))")
        var stored = Dictionary(keys.map { ($0, StoredImport.none) }, uniquingKeysWith: { first, _ in first })
        for row in try db.fetchAll("SELECT \(literal: importColumns) FROM entry WHERE import_key \(literal: list)") {
            stored[try row["import_key"]] = .row(row)
        }
        return stored
    }

    /// Imports one entry of a page; `row` is what the store holds for its key (nil: nothing).
    static func importEntry(
        _ db: any StoreSession, _ incoming: IncomingEntry, stored row: SQLRow?, newStatus: Status, author: String,
        message: String?, note: String? = nil, fetchedAt: String? = nil, now: String
    ) throws -> ImportOutcome {
        /// The import's own message, else the default for what happened with the page's note.
        func revisionMessage(_ standard: String) -> String { message ?? (note.map { "\(standard) (\($0))" } ?? standard) }
        // A card of an article the store has is only a link (12 of them on every seed-shaped page).
        if incoming.isCard, let row {
            if incoming.prepared == nil { try incoming.content.removingControlCharacters().validate(kind: incoming.kind) }
            return .unchanged(slug: try row["slug"])
        }
        // Compared as times, not strings: a date alone (`2026-11-01`) is midnight UTC.
        if let row, let fetchedAt, let stored: String = try row["import_fetched_at"],
           let incomingDate = Timestamp.parse(fetchedAt), let storedDate = Timestamp.parse(stored), incomingDate < storedDate {
            return .olderCapture(slug: try row["slug"], stored: stored)
        }
        /// Keeps the capture's date as the entry's newest (it is not older: checked above). A
        /// card's page is not the article's own capture, so it dates nothing.
        func recordFetched(_ id: Int64) throws {
            guard let fetchedAt, !incoming.isCard else { return }
            try db.execute("UPDATE entry SET import_fetched_at = \(fetchedAt) WHERE id = \(id)")
        }
        let prepared = try incoming.prepared ?? PreparedContent(kind: incoming.kind, content: incoming.content)
        var content = prepared.content
        let incomingHash = prepared.importHash
        guard let row else {
            content.status = newStatus
            // The import's record (a card's page is not the article's own capture: no hash, no
            // date), written with the entry and its head, as `recordFetched` would write the date.
            let header = try insertEntry(
                db, kind: incoming.kind, content: content, author: author, origin: .import,
                message: revisionMessage("imported"), importKey: incoming.key, now: now,
                encodedLinks: (prepared.related, prepared.articles),
                imported: (hash: incoming.isCard ? nil : incomingHash, fetchedAt: incoming.isCard ? nil : fetchedAt))
            return .created(slug: header.slug)
        }
        let id: Int64 = try row["id"]
        let header = try requireHeader(db, id: id)
        let lastHash: String? = try row["import_hash"]
        let storedFetched: String? = try row["import_fetched_at"]
        if fetchedAt != storedFetched { try recordFetched(id) }
        if lastHash == incomingHash { return .unchanged(slug: header.slug) }

        let lastImport: Int = try row["last_import"] ?? 0
        // A re-imported page usually keeps its links: columns equal to the incoming ones are
        // taken as the incoming links rather than decoded.
        let current = try fetchContent(
            db, entryID: id, number: header.head,
            known: [(prepared.related, content.related), (prepared.articles, content.articles)])
        if incoming.identifiedByPath {
            // Compared with the page as last imported (an editor's changes are not the page's).
            let previous = lastImport > 0 && lastImport != header.head ? try fetchContent(db, entryID: id, number: lastImport) : current
            if PageLikeness.entirelyDifferent(title: previous.title, body: previous.body, title: content.title, body: content.body) {
                throw ImportCollision(key: incoming.key, slug: header.slug, existingTitle: previous.title, incomingTitle: content.title)
            }
        }
        var next = content
        next.status = current.status
        next.publishedAt = current.publishedAt
        next.schedule = current.schedule  // workflow state, like the status
        let editedSince = try db.fetchOne("""
            SELECT 1 FROM revision WHERE entry_id = \(id) AND number > \(lastImport)
                                    AND origin IN ('edit', 'revert') AND upstream = 0
            LIMIT 1
            """) != nil

        if !editedSince {
            if next == current {
                try db.execute("UPDATE entry SET import_hash = \(incomingHash) WHERE id = \(id)")
                return .unchanged(slug: header.slug)
            }
            let number = try appendRevision(
                db, header: header, parentContent: current, content: next, origin: .import, author: author,
                message: revisionMessage("re-imported: the page changed"), upstream: false, now: now)
            try db.execute("UPDATE entry SET last_import = \(number), import_hash = \(incomingHash) WHERE id = \(id)")
            return .updated(slug: header.slug, revision: number)
        }
        // An editor's text is never overwritten: keep the page's version beside it. The base
        // (last_import) stays where it was, so later imports still see the edit.
        let base = lastImport > 0 ? try fetchContent(db, entryID: id, number: lastImport) : nil
        let number = try appendRevision(
            db, header: header, parentContent: base, content: next, origin: .import, author: author,
            message: revisionMessage("re-imported: the page changed after an edit (unmerged)"), upstream: true, now: now,
            parent: lastImport > 0 ? lastImport : nil)
        try db.execute("UPDATE entry SET import_hash = \(incomingHash) WHERE id = \(id)")
        return .conflict(slug: header.slug, upstream: number)
    }
}
