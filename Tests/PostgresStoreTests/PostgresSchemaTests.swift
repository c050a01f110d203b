import Foundation
import PostgresStore
import Schema
import Synchronization
import Testing

@Suite("The PostgreSQL schema and its migrator")
struct PostgresSchemaTests {
    /// Runs `sql` and returns the server's message when it is refused.
    static func refusal(_ session: PostgresSession, _ sql: String) async throws -> String? {
        try await pg {
            do {
                try session.query(sql)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    /// A migrated database with one entry and its first revision.
    static func seeded(_ database: TestDatabase) async throws -> PostgresSession {
        try await pg {
            let session = try database.connect()
            try PostgresMigrator.migrate(session)
            try session.query("INSERT INTO entry (slug, kind, created_at, updated_at) VALUES ('a', 'article', 't', 't')")
            try session.query("""
                INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, hash)
                VALUES (1, 1, 'edit', 'ann', 't', 'draft', 'A', 'h')
                """)
            return session
        }
    }

    @Test("Revisions and account events are append-only: UPDATE, DELETE and TRUNCATE are refused by the database",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason))
    func appendOnly() async throws {
        try await TestDatabase.with { database in
            let session = try await Self.seeded(database)
            try await pg { try session.query("INSERT INTO account_event (at, account, action, \"by\") VALUES ('t', 'ann', 'add', 'root')") }
            for sql in ["UPDATE revision SET title = 'B'", "DELETE FROM revision", "TRUNCATE revision CASCADE"] {
                let message = try await Self.refusal(session, sql)
                #expect(message?.contains("revisions are append-only") == true, "\(sql): \(message ?? "accepted")")
            }
            for sql in ["UPDATE account_event SET \"by\" = 'x'", "DELETE FROM account_event", "TRUNCATE account_event"] {
                let message = try await Self.refusal(session, sql)
                #expect(message?.contains("account events are append-only") == true, "\(sql): \(message ?? "accepted")")
            }
            // Unchanged after all that.
            let (title, events) = try await pg {
                (try session.query("SELECT title FROM revision").first?.decode(String.self),
                 try session.query("SELECT COUNT(*) FROM account_event").first?.decode(Int64.self))
            }
            #expect(title == "A")
            #expect(events == 1)
            try await pg { try session.close() }
        }
    }

    @Test("Revision numbers are contiguous, and the head moves by compare-and-set and never back",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason))
    func pointers() async throws {
        try await TestDatabase.with { database in
            let session = try await Self.seeded(database)
            let insert = """
                INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, hash)
                VALUES (1, $1, 'edit', 'ann', 't', 'draft', 'A', 'h')
                """
            let gap = try await pg { () -> String? in
                do { try session.query(insert, [.integer(3)]); return nil } catch { return "\(error)" }
            }
            #expect(gap?.contains("contiguous") == true, "\(gap ?? "accepted")")
            // The compare-and-set: a writer that saw head 0 finds no row once another moved it.
            let (moved, stale) = try await pg {
                try session.query(insert, [.integer(2)])
                return (try session.query("UPDATE entry SET head = 2 WHERE id = 1 AND head = 0 RETURNING id").count,
                        try session.query("UPDATE entry SET head = 1 WHERE id = 1 AND head = 0 RETURNING id").count)
            }
            #expect(moved == 1)
            #expect(stale == 0)
            let back = try await Self.refusal(session, "UPDATE entry SET head = 1 WHERE id = 1")
            #expect(back?.contains("cannot move back") == true, "\(back ?? "accepted")")
            try await pg { try session.close() }
        }
    }

    @Test("Several connections migrating a new database at once all succeed, and it is migrated once",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason))
    func concurrentMigrations() async throws {
        try await TestDatabase.with { database in
            let (failures, applied) = try await pg { () -> ([String], [String]) in
                let writers = 4
                // Connect first, then start together, so that the migrations overlap.
                let sessions = try (0..<writers).map { _ in try database.connect() }
                defer { sessions.forEach { try? $0.close() } }
                let start = DispatchSemaphore(value: 0)
                let failures = Failures()
                let group = DispatchGroup()
                for session in sessions {
                    group.enter()
                    Thread {
                        start.wait()
                        do { try PostgresMigrator.migrate(session) } catch { failures.list.withLock { $0.append("\(error)") } }
                        group.leave()
                    }.start()
                }
                for _ in 0..<writers { start.signal() }
                guard group.wait(timeout: .now() + 120) == .success else { return (["the migrations did not finish in 120 s"], []) }
                return (failures.list.withLock { $0 }, try PostgresMigrator.applied(sessions[0]))
            }
            #expect(failures == [])
            #expect(applied == PostgresSchema.migrations.map(\.identifier))
        }
    }
}

/// What the racing migrators report, from their threads.
private final class Failures: Sendable {
    let list = Mutex<[String]>([])
}
