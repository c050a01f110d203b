import Foundation
@testable import PMCMS
import TestBackends

/// A fresh store for one test, removed when the test is done with it: a temporary file, or a
/// new PostgreSQL database with `PMCMS_TEST_BACKEND=postgres` (`TestBackend`). `directory` is
/// the test's temporary folder on either backend.
final class TestStore {
    let directory: URL
    let store: ContentStore
    /// Where the store was made (the database to drop on PostgreSQL).
    private let address: String
    /// The store's path, or its postgres:// address as messages name it.
    var path: String { store.path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        address = try TestBackend.newStore(in: directory)
        store = try TestBackend.open(address, access: .create)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
        TestBackend.remove(address)
    }

    /// A question in draft with a known body.
    @discardableResult
    func question(_ title: String = "Is PMO more senior than project manager?", body: String = "A project manager delivers projects.") throws -> EntryHeader {
        try store.createEntry(kind: .question, content: Content(title: title, body: body), author: "sam")
    }

    /// Moves entry `ref` to `status` through legal transitions from draft.
    func move(_ ref: String, to status: Status) throws {
        let path: [WorkflowAction]
        switch status {
        case .draft: path = []
        case .inReview: path = [.submit]
        case .approved: path = [.submit, .approve]
        case .published: path = [.submit, .approve, .publish]
        case .archived: path = [.archive]
        }
        for action in path { try store.transition(ref, action, author: "sam", message: "step") }
    }

    /// Runs raw SQL through the sqlite3 C API the way an outside tool would.
    func execute(_ sql: String) throws {
        try store.database.write { db in try db.execute(sql: sql) }
    }
}
