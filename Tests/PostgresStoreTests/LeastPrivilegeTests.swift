import Foundation
import PostgresStore
import Schema
import Testing

/// A least-privilege application role, set up as the README says: it uses a store its owner
/// migrated (no DDL at all when nothing is due), cannot rewrite history, and is told to migrate
/// as the owner when a migration is due.
@Suite("A least-privilege role on a PostgreSQL store")
struct LeastPrivilegeTests {
    @Test("Opens a migrated store without DDL, is refused UPDATE of revisions, and is told to migrate as the owner",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func appRole() async throws {
        try await TestDatabase.with { database in
            // Made here, never input: identifiers cannot be bound parameters.
            let role = "pmcms_app_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let owner = try await pg { try database.connect() }
            defer { closeOffThePool(owner) }
            try await pg {
                try PostgresMigrator.migrate(owner)
                try owner.query("CREATE ROLE \(role) LOGIN")
            }
            var location = try PostgresLocation(url: database.url)
            location.user = role
            let app = location
            do {
                // Nothing granted yet: the role can connect but may not make the schema's first table.
                try await pg {
                    try owner.query("DROP TABLE pmcms_migrations")
                    try owner.query("GRANT CONNECT ON DATABASE \(database.name) TO \(role)")
                }
                let refused = try await pg { () -> String? in
                    let session = try PostgresSession(app)
                    defer { try? session.close() }
                    do { try PostgresMigrator.migrate(session); return nil } catch { return "\(error)" }
                }
                #expect(refused?.contains("run pmcms once as the database's owner") == true, "\(refused ?? "migrated")")
                #expect(refused?.contains("0001_postgres_initial") == true, "\(refused ?? "migrated")")

                // The owner migrates (the schema is there, the log is made again), then grants as the README says.
                try await pg {
                    try owner.query("CREATE TABLE pmcms_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
                    for migration in PostgresSchema.migrations.map(\.identifier) {
                        try owner.query("INSERT INTO pmcms_migrations VALUES ($1, 't')", [.text(migration)])
                    }
                    try owner.query("GRANT USAGE ON SCHEMA public TO \(role)")
                    try owner.query("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(role)")
                    try owner.query("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(role)")
                    try owner.query("REVOKE UPDATE, DELETE, TRUNCATE ON revision, account_event FROM \(role)")
                    try owner.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
                }
                let (applied, update) = try await pg { () -> ([String], String?) in
                    let session = try PostgresSession(app)
                    defer { try? session.close() }
                    let applied = try PostgresMigrator.migrate(session)
                    do { try session.query("UPDATE revision SET title = 'x'"); return (applied, nil) } catch { return (applied, "\(error)") }
                }
                #expect(applied.isEmpty)
                #expect(update?.contains("permission denied") == true, "\(update ?? "accepted")")
            }
            try await pg {
                try owner.query("DROP OWNED BY \(role)")
                try owner.query("DROP ROLE \(role)")
            }
        }
    }
}
