import Foundation
import PMCMS
import PostgresStore
import Testing

/// A store whose connection the server ended (a restart, an administrator, a dropped network)
/// opens a new one by itself: `pmcms serve` runs for weeks on one `ContentStore`.
@Suite("A PostgreSQL store survives the loss of its connection")
struct ReconnectTests {
    /// Ends every other connection to the test's database, as `pg_terminate_backend` does when
    /// an administrator (or a server restart) ends them.
    static func endOtherConnections(_ database: TestDatabase) throws -> Int {
        let admin = try database.connect()
        defer { try? admin.close() }
        let rows = try admin.query("""
            SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()) ended
            """)
        let ended = Int(try rows.first?.decode(Int64.self) ?? 0)
        // Until the server has let them go (bounded: 5 s), and the client has read the news: a
        // statement sent while postgres-nio is still taking in its connection's end waits for
        // ever (noted in the README; the store checks the connection before each transaction).
        for _ in 0..<100 {
            let left = try admin.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            if try left.first?.decode(Int64.self) == 0 { break }
            usleep(50_000)
        }
        usleep(100_000)
        return ended
    }

    @Test("reads and writes go on after the server ended the connection, and a write is not repeated",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(2)))
    func reconnects() async throws {
        try await TestDatabase.with { database in
            let store = try await pg { try PostgresContentStore.open(url: database.url, access: .create) }
            let header = try await pg {
                try store.createEntry(kind: .question, content: Content(title: "Still there?", body: "Yes."), author: "tester")
            }
            #expect(try await pg { try Self.endOtherConnections(database) } == 1)

            // A read after the loss: a new connection, the same answer.
            let shown = try await pg { try store.entry(header.slug) }
            #expect(shown.content.title == "Still there?")

            #expect(try await pg { try Self.endOtherConnections(database) } == 1)
            // A write after the loss: its first statement finds the connection gone before
            // anything is written, so it runs on a new one, once.
            let edited = try await pg {
                try store.edit(header.slug, author: "tester") { $0.body = "Yes, after a reconnect." }
            }
            #expect(edited.revision == 2)
            let history = try await pg { try store.revisions(header.slug) }
            #expect(history.count == 2, "one revision for one edit: \(history.map(\.number))")
            #expect(try await pg { try Self.endOtherConnections(database) } == 1)
            #expect(try await pg { try store.entry(header.slug).content.body } == "Yes, after a reconnect.")
        }
    }
}
