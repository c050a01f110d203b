import Foundation
import GRDB

/// What `verify` found: problems (empty when the store is sound) and what it looked at.
public struct VerifyReport: Sendable, Codable {
    public var entries: Int
    public var revisions: Int
    public var problems: [String]

    public var ok: Bool { problems.isEmpty }

    /// A report of the same checks made elsewhere (the PostgreSQL store's `verify`).
    public init(entries: Int, revisions: Int, problems: [String]) {
        self.entries = entries
        self.revisions = revisions
        self.problems = problems
    }
}

extension VerifyReport {
    /// The report for a store that could not be opened or read at all.
    public static func corrupt(path: String, _ error: any Error) -> VerifyReport {
        corrupt(path: path, reason: ContentStore.describeCorruption(error))
    }

    /// The report for a store that cannot be read, `reason` said by the caller (a face's words).
    public static func corrupt(path: String, reason: String) -> VerifyReport {
        VerifyReport(entries: 0, revisions: 0, problems: ["corrupt store: \(path) cannot be read: \(reason)"])
    }
}

extension ContentStore {
    /// The triggers that keep revisions append-only and contiguous (migration 0001).
    static let guardTriggers = ["revision_is_append_only_update", "revision_is_append_only_delete", "revision_numbers_are_contiguous"]
    /// The triggers that keep the account log append-only (migration 0009).
    static let accountLogTriggers = ["account_event_append_only_update", "account_event_append_only_delete"]

    /// Checks SQLite's integrity, FTS5's own integrity check of the search index and the store's
    /// own invariants: the guard triggers exist, contiguous revision numbers, hashes that match
    /// their revisions (every field for scheme-2 revisions, the snapshot for older ones), valid
    /// head and live pointers, the link table and the search index in step with each head.
    ///
    /// Damage never ends the check with a raw error: each part that cannot be read is reported
    /// as "corrupt store: …", and the other parts are still checked.
    public func verify() throws -> VerifyReport {
        // One read transaction, as `read` gives, but ended by a rollback whose outcome does not
        // matter: on a damaged file SQLite can fail the COMMIT of even a read-only transaction,
        // which would turn every finding into one raw error.
        var report = try Self.translatingErrors(path: path) {
            try sqliteDatabase("verify").inDatabase { db in
                try db.execute(sql: "BEGIN DEFERRED")
                defer { try? db.execute(sql: "ROLLBACK") }
                return Self.checks(db)
            }
        }
        if let problem = searchIndexProblem() { report.problems.append(problem) }
        return report
    }

    private static func checks(_ db: Database) -> VerifyReport {
        var problems: [String] = []
        /// Runs one part of the check; an error in it is a finding, not the end of `verify`.
        func part(_ name: String, _ body: () throws -> Void) {
            do { try body() } catch { problems.append("corrupt store: \(name) could not be checked: \(Self.describeCorruption(error))") }
        }
        var entries = 0, revisions = 0
        part("SQLite's integrity") {
            // Read line by line: on a damaged file SQLite reports some pages, then fails; the
            // pages it named are the finding.
            var integrity: [String] = []
            do {
                let cursor = try String.fetchCursor(db, sql: "PRAGMA integrity_check")
                while let line = try cursor.next(), integrity.count < 20 { integrity.append(line) }
            } catch {
                if integrity.isEmpty { throw error }
            }
            if integrity != ["ok"] {
                problems += integrity.flatMap { $0.split(separator: "\n") }.map { "corrupt store: integrity: \($0)" }
            }
        }
        part("foreign keys") {
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                problems.append("foreign key: a row of \(Self.value(row, 0) ?? "?") points at a missing \(Self.value(row, 2) ?? "?")")
            }
        }
        part("the guard triggers") {
            let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'revision'"))
            for name in Self.guardTriggers where !present.contains(name) {
                problems.append("the trigger \(name) is missing: revisions are no longer protected against rewriting")
            }
            // The account log (migration 0009), when the store has one.
            let logged = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'account_event'"))
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'account_event')") == true {
                for name in Self.accountLogTriggers where !logged.contains(name) {
                    problems.append("the trigger \(name) is missing: the account log is no longer protected against rewriting")
                }
            }
        }
        part("the counts") {
            entries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry") ?? 0
            revisions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revision") ?? 0
        }
        part("revision numbers and pointers") { try Self.verifyNumbers(db, into: &problems) }
        part("revision hashes") { try Self.verifyHashes(db, into: &problems) }
        part("links and search index") { try Self.verifyHeads(db, into: &problems) }
        return VerifyReport(entries: entries, revisions: revisions, problems: problems)
    }

    private static func verifyNumbers(_ db: Database, into problems: inout [String]) throws {
        for row in try Row.fetchAll(db, sql: """
            SELECT e.id, e.slug, e.head, e.live, COUNT(r.id) AS count, COALESCE(MAX(r.number), 0) AS max,
                   COALESCE(MIN(r.number), 0) AS min
            FROM entry e LEFT JOIN revision r ON r.entry_id = e.id GROUP BY e.id
            """) {
            let slug: String = value(row, "slug") ?? "entry \(value(row, "id") as Int64? ?? 0)"
            let count: Int = value(row, "count") ?? 0, max: Int = value(row, "max") ?? 0, min: Int = value(row, "min") ?? 0
            let head: Int = value(row, "head") ?? 0
            let id: Int64 = value(row, "id") ?? 0
            if count == 0 { problems.append("\(slug): has no revision"); continue }
            if min != 1 || max != count { problems.append("\(slug): revision numbers are not 1…\(count) (\(min)…\(max))") }
            if head < 1 || head > max { problems.append("\(slug): head r\(head) does not exist") }
            if let live: Int = value(row, "live") {
                let status = try String.fetchOne(db, sql: "SELECT status FROM revision WHERE entry_id = ? AND number = ?", arguments: [id, live])
                if status != Status.published.rawValue { problems.append("\(slug): live r\(live) is not a published revision") }
            }
            let headUpstream = try Bool.fetchOne(db, sql: "SELECT upstream FROM revision WHERE entry_id = ? AND number = ?", arguments: [id, head])
            if headUpstream == true { problems.append("\(slug): head r\(head) is an unmerged upstream revision") }
        }
    }

    /// Each revision's hash against what it covers: scheme 2 (every column) from the first
    /// revision id migration 0006 recorded, the snapshot alone before it.
    private static func verifyHashes(_ db: Database, into problems: inout [String]) throws {
        // A store not yet migrated to schema 6 (`verify` reads without migrating) has scheme 1 only.
        let firstOfScheme2 = try db.tableExists("revision_hash_scheme")
            ? try Int64.fetchOne(db, sql: "SELECT first_revision_id FROM revision_hash_scheme WHERE scheme = 2") ?? 1
            : Int64.max
        var kinds: [Int64: (Kind, String)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, kind, slug FROM entry") {
            guard let id: Int64 = value(row, "id") else { continue }
            let slug: String = value(row, "slug") ?? "entry \(id)"
            guard let raw: String = value(row, "kind"), let kind = Kind(rawValue: raw) else {
                problems.append("corrupt store: \(slug) has an unknown kind")
                continue
            }
            kinds[id] = (kind, slug)
        }
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT id, entry_id, number, parent, origin, author, created_at, message, upstream, lines_added, lines_removed,
                   hash, status, title, body, summary, image_url, source_url, edited_at, published_at, related, articles,
                   publish_at, expire_at, scheduled_revision
            FROM revision
            """)
        while let row = try cursor.next() {
            guard let entryID: Int64 = value(row, "entry_id"), let (kind, slug) = kinds[entryID] else { continue }
            let number: Int = value(row, "number") ?? 0
            if let parent: Int = value(row, "parent"), parent >= number { problems.append("\(slug): r\(number) has parent r\(parent), not an earlier one") }
            guard let content = snapshot(row) else {
                problems.append("corrupt store: \(slug): r\(number) cannot be read (a field holds a value this program never writes)")
                continue
            }
            let id: Int64 = value(row, "id") ?? 0
            let expected: String
            if id >= firstOfScheme2 {
                guard let origin: String = value(row, "origin"), let author: String = value(row, "author"),
                      let createdAt: String = value(row, "created_at") else {
                    problems.append("corrupt store: \(slug): r\(number) cannot be read (its origin, author or time is missing)")
                    continue
                }
                expected = revisionHash(kind: kind, content: content, metadata: RevisionMetadata(
                    entryID: entryID, number: number, parent: value(row, "parent"), origin: origin, author: author,
                    createdAt: createdAt, message: value(row, "message"), upstream: value(row, "upstream") ?? false,
                    linesAdded: value(row, "lines_added") ?? 0, linesRemoved: value(row, "lines_removed") ?? 0))
            } else {
                expected = contentHash(kind: kind, content: content)
            }
            if expected != value(row, "hash") {
                problems.append("\(slug): r\(number)'s hash does not match its snapshot")
            }
        }
    }

    private static func verifyHeads(_ db: Database, into problems: inout [String]) throws {
        for row in try Row.fetchAll(db, sql: """
            SELECT e.slug, r.related, r.articles, r.title,
                   (SELECT COUNT(*) FROM link l WHERE l.entry_id = e.id) AS links,
                   (SELECT title FROM search WHERE rowid = e.id) AS indexed
            FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head
            """) {
            let slug: String = value(row, "slug") ?? "?"
            guard let related = (value(row, "related") as String?).flatMap({ try? decodeLinks($0) }),
                  let articles = (value(row, "articles") as String?).flatMap({ try? decodeLinks($0) }) else {
                problems.append("corrupt store: \(slug): the head's links are not valid JSON")
                continue
            }
            if related.count + articles.count != value(row, "links") { problems.append("\(slug): the link table does not match the head's links") }
            if (value(row, "indexed") as String?) != (value(row, "title") as String?) { problems.append("\(slug): the search index is out of step") }
        }
    }

    /// A revision's snapshot read without trusting the file: nil when a value is of a type or
    /// form this program never writes (GRDB's plain subscripts would stop the process instead).
    private static func snapshot(_ row: Row) -> Content? {
        guard let rawStatus: String = value(row, "status"), let status = Status(rawValue: rawStatus),
              let title: String = value(row, "title"), let body: String = value(row, "body"),
              let related = (value(row, "related") as String?).flatMap({ try? decodeLinks($0) }),
              let articles = (value(row, "articles") as String?).flatMap({ try? decodeLinks($0) }) else { return nil }
        return Content(
            status: status, title: title, body: body, summary: value(row, "summary"), imageURL: value(row, "image_url"),
            sourceURL: value(row, "source_url"), editedAt: value(row, "edited_at"), publishedAt: value(row, "published_at"),
            related: related, articles: articles,
            schedule: Schedule(publishAt: value(row, "publish_at"), expireAt: value(row, "expire_at"),
                               pinnedRevision: value(row, "scheduled_revision")))
    }

    /// A column's value, nil when it is NULL or not convertible.
    private static func value<T: DatabaseValueConvertible>(_ row: Row, _ column: String) -> T? {
        T.fromDatabaseValue(row[column] as DatabaseValue)
    }

    private static func value<T: DatabaseValueConvertible>(_ row: Row, _ index: Int) -> T? {
        T.fromDatabaseValue(row[index] as DatabaseValue)
    }

    /// FTS5's own integrity check of the search index, which reads the index itself (a zeroed
    /// or flipped index block passes every query of the content). It is written as an INSERT
    /// and needs a write lock: it runs in a transaction that is rolled back, and is left out
    /// for a store that cannot be written (a read-only file), which is then only read.
    private func searchIndexProblem() -> String? {
        do {
            try sqliteDatabase("verify").inDatabase { db in
                // A store older than the search index (read, not migrated, by `verify`) has none.
                guard try db.tableExists("search") else { return }
                try db.inTransaction(.deferred) {
                    try db.execute(sql: "INSERT INTO search (search) VALUES ('integrity-check')")
                    return .rollback
                }
            }
            return nil
        } catch let error as DatabaseError
                    where [.SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
            return nil  // a store that cannot be written, or one another writer holds: read only
        } catch {
            return "corrupt store: the search index fails FTS5's integrity check (\(Self.describeCorruption(error))); search may fail until it is rebuilt"
        }
    }

    /// A sentence for an error met while reading a damaged store: SQLite's message and code,
    /// never a raw dump of a Swift error.
    static func describeCorruption(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "\(error.message ?? "SQLite error") (SQLite error \(error.extendedResultCode.rawValue))"
        }
        if let error = error as? StoreError { return error.description }
        if error is DecodingError { return "a value is not in the form this program writes" }
        return String(describing: error)
    }

    /// Writes a consistent copy of the store to `destination` (SQLite's `VACUUM INTO`), even
    /// while other processes write, and checks that the copy opens and verifies.
    ///
    /// The destination must be a new file (never the store or one of its files, a device or a
    /// pipe); the copy is made beside it under a temporary name and linked into place only
    /// when complete, so a failed backup leaves nothing, and a file that appeared meanwhile is
    /// not overwritten.
    public func backup(to destination: String) throws -> VerifyReport {
        let target = try OutputTarget.inspect(destination, protecting: path)
        guard target.kind == .new else {
            throw OutputError.refused(path: destination, reason: target.kind == .stream
                ? "a backup is an SQLite file; it cannot be written to a device or a pipe"
                : "it exists already; choose a new file")
        }
        guard access(target.folder, W_OK) == 0 else {
            throw OutputError.refused(path: destination, reason: "the folder \(target.folder) cannot be written (\(String(cString: strerror(errno))))")
        }
        let temporary = (target.folder as NSString).appendingPathComponent(".\((target.resolved as NSString).lastPathComponent).\(getpid()).tmp")
        defer { unlink(temporary) }
        do {
            try sqliteDatabase("verify").writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [temporary])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreError.busy(path: path)
        } catch let error as DatabaseError {
            throw OutputError.refused(path: destination, reason: "SQLite could not write the copy (\(error.message ?? "error \(error.resultCode.rawValue)"))")
        }
        guard link(temporary, target.resolved) == 0 else {
            throw OutputError.refused(path: destination, reason: errno == EEXIST ? "it appeared while the copy was made; choose a new file" : String(cString: strerror(errno)))
        }
        return try ContentStore(path: target.resolved, access: .read).verify()
    }
}
