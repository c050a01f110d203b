import Foundation
@testable import PMCMS
import TestBackends

/// A store in a temporary file (or a PostgreSQL database, `TestBackend`) whose revisions carry the times a test gives, so that history
/// tests never depend on the clock or on `PMCMS_NOW` (which parallel tests would share).
struct HistoryFixture {
    /// The file's path, or the database's address.
    let path: String
    let store: ContentStore

    init() throws {
        path = try TestBackend.newStore(
            in: FileManager.default.temporaryDirectory, name: "pmcms-history-\(UUID().uuidString).sqlite")
        store = try TestBackend.open(path, access: .create)
    }

    func cleanup() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        TestBackend.remove(path)
    }

    /// Creates an entry whose first revision is made at `time`.
    @discardableResult
    func create(
        _ title: String, body: String = "", kind: Kind = .question, status: Status = .draft, origin: Origin = .edit,
        author: String = "ann", at time: String = "2026-11-01T10:00:00Z", message: String? = nil
    ) throws -> EntryHeader {
        try store.write { db in
            try ContentStore.insertEntry(
                db, kind: kind, content: Content(status: status, title: title, body: body), author: author,
                origin: origin, message: message, importKey: nil, now: time)
        }
    }

    /// Appends a revision at `time` through the store's one writer of revisions, the way the
    /// import appends an unmerged upstream revision (`upstream: true` leaves the head alone).
    @discardableResult
    func append(
        _ ref: String, origin: Origin = .edit, author: String = "ann", at time: String, message: String? = nil,
        upstream: Bool = false, _ change: (inout Content) -> Void
    ) throws -> Int {
        try store.write { db in
            let header = try ContentStore.resolve(db, ref: ref)
            let current = try ContentStore.fetchContent(db, entryID: header.id, number: header.head)
            var next = current
            change(&next)
            return try ContentStore.appendRevision(
                db, header: header, parentContent: current, content: next, origin: origin, author: author,
                message: message, upstream: upstream, now: time)
        }
    }

    /// A revision's metadata for pure diff tests, which need no store.
    static func info(_ number: Int, origin: Origin = .edit, author: String = "ann", message: String? = nil) -> RevisionInfo {
        RevisionInfo(
            entryID: 1, slug: "sample", number: number, parent: number > 1 ? number - 1 : nil, origin: origin,
            status: .draft, author: author, createdAt: "2026-11-0\(min(number, 9))T10:00:00Z", message: message,
            hash: "sha256:x", upstream: false, live: false, linesAdded: 0, linesRemoved: 0)
    }
}
