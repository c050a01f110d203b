import Foundation
import Schema

/// Brings a PostgreSQL database to the store's schema (`Schema/Postgres/*.sql`).
///
/// Several processes may start at once on a new database (two web fronts, a cron job): each
/// migrates in one transaction that first takes a transaction-scoped advisory lock, so they
/// queue one behind the other and every one after the first finds nothing left to do.
public enum PostgresMigrator {
    /// The advisory lock's key: "pmcms" in ASCII, so that it is recognisable in `pg_locks`.
    static let lockKey: Int64 = 0x70_6d_63_6d_73

    /// Applies every migration the database lacks; throws `newerStore` when the database has
    /// migrations this pmcms does not know. Returns the identifiers it applied.
    @discardableResult
    public static func migrate(_ session: PostgresSession) throws -> [String] {
        try session.query("BEGIN")
        do {
            try session.query("SELECT pg_advisory_xact_lock($1)", [.integer(lockKey)])
            // Only when missing: a least-privilege role (no CREATE on the schema) opens an
            // up-to-date store without running any DDL, even a CREATE … IF NOT EXISTS.
            let exists = try session.query("SELECT to_regclass('pmcms_migrations') IS NOT NULL").first?.decode(Bool.self) ?? false
            if !exists {
                try permitted(session, migration: PostgresSchema.migrations.first?.identifier ?? "") {
                    try session.query("CREATE TABLE pmcms_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
                }
            }
            let applied = Set(try session.query("SELECT identifier FROM pmcms_migrations").map { try $0.decode(String.self) })
            let known = PostgresSchema.migrations.map(\.identifier)
            let unknown = applied.subtracting(known).sorted()
            if !unknown.isEmpty { throw PostgresStoreError.newerStore(location: session.location.description, unknown: unknown) }
            var done: [String] = []
            for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
                try permitted(session, migration: migration.identifier) { try session.script(migration.sql) }
                try session.query("INSERT INTO pmcms_migrations (identifier, applied_at) VALUES ($1, $2)",
                                  [.text(migration.identifier), .text(ISO8601DateFormatter().string(from: Date()))])
                done.append(migration.identifier)
            }
            try session.query("COMMIT")
            return done
        } catch {
            _ = try? session.query("ROLLBACK")
            throw error
        }
    }

    /// Runs schema changes, saying so when the role may not make them (SQLSTATE 42501,
    /// insufficient_privilege): a least-privilege role may use the store, not change its schema.
    private static func permitted(_ session: PostgresSession, migration: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch PostgresStoreError.server(_, "42501", let message) {
            throw PostgresStoreError.migrationNotPermitted(
                location: session.location.description, user: session.location.user, migration: migration, reason: message)
        }
    }

    /// The migrations the database has, oldest first (none for an empty database).
    public static func applied(_ session: PostgresSession) throws -> [String] {
        let exists = try session.query("SELECT to_regclass('pmcms_migrations') IS NOT NULL").first?.decode(Bool.self) ?? false
        guard exists else { return [] }
        return try session.query("SELECT identifier FROM pmcms_migrations ORDER BY identifier").map { try $0.decode(String.self) }
    }
}
