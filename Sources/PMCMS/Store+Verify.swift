import Foundation
import GRDB

/// What `verify` found: problems (empty when the store is sound) and what it looked at.
public struct VerifyReport: Sendable, Codable {
    public var entries: Int
    public var revisions: Int
    public var problems: [String]

    public var ok: Bool { problems.isEmpty }
}

extension ContentStore {
    /// Checks SQLite's integrity and the store's own invariants: contiguous revision numbers,
    /// hashes that match their snapshots, valid head and live pointers, the link table and the
    /// search index in step with each head.
    public func verify() throws -> VerifyReport {
        try read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems += integrity.prefix(20).map { "integrity: \($0)" } }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                problems.append("foreign key: a row of \(row[0] as String? ?? "?") points at a missing \(row[2] as String? ?? "?")")
            }
            let entries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry") ?? 0
            let revisions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM revision") ?? 0

            for row in try Row.fetchAll(db, sql: """
                SELECT e.id, e.slug, e.head, e.live, COUNT(r.id) AS count, COALESCE(MAX(r.number), 0) AS max,
                       COALESCE(MIN(r.number), 0) AS min
                FROM entry e LEFT JOIN revision r ON r.entry_id = e.id GROUP BY e.id
                """) {
                let slug: String = row["slug"]
                let count: Int = row["count"], max: Int = row["max"], min: Int = row["min"], head: Int = row["head"]
                if count == 0 { problems.append("\(slug): has no revision"); continue }
                if min != 1 || max != count { problems.append("\(slug): revision numbers are not 1…\(count) (\(min)…\(max))") }
                if head < 1 || head > max { problems.append("\(slug): head r\(head) does not exist") }
                if let live: Int = row["live"] {
                    let status = try String.fetchOne(db, sql: "SELECT status FROM revision WHERE entry_id = ? AND number = ?", arguments: [row["id"], live])
                    if status != Status.published.rawValue { problems.append("\(slug): live r\(live) is not a published revision") }
                }
                let headUpstream = try Bool.fetchOne(db, sql: "SELECT upstream FROM revision WHERE entry_id = ? AND number = ?", arguments: [row["id"], head])
                if headUpstream == true { problems.append("\(slug): head r\(head) is an unmerged upstream revision") }
            }

            let kinds = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, kind, slug FROM entry").map {
                ($0["id"] as Int64, (Kind(rawValue: $0["kind"]) ?? .question, $0["slug"] as String))
            })
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT entry_id, number, parent, hash, status, title, body, summary, image_url, source_url, edited_at,
                       published_at, related, articles FROM revision
                """)
            while let row = try cursor.next() {
                let entryID: Int64 = row["entry_id"]
                let number: Int = row["number"]
                guard let (kind, slug) = kinds[entryID] else { continue }
                if let parent: Int = row["parent"], parent >= number { problems.append("\(slug): r\(number) has parent r\(parent), not an earlier one") }
                do {
                    let content = try Self.decodeContent(row)
                    if Self.contentHash(kind: kind, content: content) != row["hash"] {
                        problems.append("\(slug): r\(number)'s hash does not match its snapshot")
                    }
                } catch {
                    problems.append("\(slug): r\(number) cannot be read: \(error)")
                }
            }

            for row in try Row.fetchAll(db, sql: """
                SELECT e.slug, r.related, r.articles, r.title,
                       (SELECT COUNT(*) FROM link l WHERE l.entry_id = e.id) AS links,
                       (SELECT title FROM search WHERE rowid = e.id) AS indexed
                FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head
                """) {
                let slug: String = row["slug"]
                let expected = (try Self.decodeLinks(row["related"])).count + (try Self.decodeLinks(row["articles"])).count
                if expected != row["links"] { problems.append("\(slug): the link table does not match the head's links") }
                if (row["indexed"] as String?) != (row["title"] as String) { problems.append("\(slug): the search index is out of step") }
            }
            return VerifyReport(entries: entries, revisions: revisions, problems: problems)
        }
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
            try database.writeWithoutTransaction { db in
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
