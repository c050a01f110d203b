import Foundation
import GRDB
import Testing
import TestBackends
@testable import PMCMS

/// The review desk's queue must not read every entry's head revision: on a store of 100,000
/// entries that is gigabytes of revision rows (bodies included) for a page listing a few. These
/// tests read SQLite's own plan for the queries the queue page runs, on a real store.
@Suite("Query plans of the review queue", .sqliteOnly("SQLite's query plans"))
struct QueryPlanTests {
    /// The lines of `EXPLAIN QUERY PLAN` for `sql`.
    static func plan(_ t: TestStore, _ sql: SQLQuery) throws -> [String] {
        let (text, values) = sql.rendered(for: .sqlite)
        return try t.store.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + text, arguments: StatementArguments(values.map(SQLiteSession.databaseValue)))
                .map { $0["detail"] as String }
        }
    }

    /// A store with a few entries in each state, so the planner sees real tables.
    static func store() throws -> TestStore {
        let t = try TestStore()
        for i in 1...4 { try t.question("Question \(i)?") }
        try t.move("1", to: .inReview)
        try t.move("2", to: .approved)
        try t.store.schedule("2", .publish(at: "2026-12-01T10:00:00Z", expire: nil), author: "ed")
        return t
    }

    @Test("the queue finds entries in review through the status index, not by scanning every head")
    func queueUsesStatusIndex() throws {
        let t = try Self.store()
        let plan = try Self.plan(t, ContentStore.reviewQueueSQL(statuses: [.inReview, .approved], limit: nil))
        #expect(plan.contains { $0.contains("revision_by_status") }, "plan: \(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "plan: \(plan)")
        // And the answer is still the two entries waiting.
        #expect(try t.store.reviewQueue(statuses: [.inReview, .approved]).map(\.entry.header.id) == [1, 2])
    }

    @Test("the scheduled list starts from the scheduled revisions, not from every entry")
    func scheduledUsesPartialIndex() throws {
        let t = try Self.store()
        let plan = try Self.plan(t, ContentStore.listSQL(ListQuery(scheduled: true, sort: .id)))
        #expect(plan.contains { $0.contains("revision_scheduled") }, "plan: \(plan)")
        #expect(!plan.contains { $0 == "SCAN e" }, "plan: \(plan)")
        #expect(try t.store.list(ListQuery(scheduled: true, sort: .id)).map(\.header.id) == [2])
    }

    @Test("the queue can leave out the links, which a list of titles does not print")
    func queueWithoutLinks() throws {
        let t = try TestStore()
        try t.store.createEntry(
            kind: .question,
            content: Content(title: "Linked?", body: "Text.", related: [LinkRef(title: "Other", url: "https://example.com/other")]),
            author: "sam")
        try t.move("1", to: .inReview)
        #expect(try t.store.reviewQueue().first?.entry.content.related.count == 1)
        let light = try t.store.reviewQueue(links: false)
        #expect(light.map(\.entry.content.title) == ["Linked?"])
        #expect(light.first?.entry.content.related.isEmpty == true)
    }
}
