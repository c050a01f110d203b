import Foundation
import GRDB
import Schema

/// The content store: one SQLite file of entries, their append-only revisions, links and settings.
///
/// Every write runs in one immediate transaction, so a change is all there or not there, and
/// two processes writing at once wait for each other (up to the busy timeout) instead of failing.
public final class ContentStore: Sendable {
    /// The path of the SQLite file.
    public let path: String
    let database: DatabaseQueue

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// Opens the store at `path`, creating it when `create` is true, and migrates it in place.
    public init(path: String, create: Bool = false) throws {
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw StoreError.noStore(path: path)
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "pmcms"
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError.busy(path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_NOTADB {
            throw StoreError.invalidField(name: "store", reason: "\(path) is not a pmcms store (\(error.message ?? "cannot open"))")
        }
        try Self.migrate(database, path: path)
    }

    /// The migrator built from the embedded SQL files in `Schema`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Schema.migrations {
            let sql = migration.sql
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: sql)
            }
        }
        return migrator
    }

    /// Brings the store up to date, refusing one made by a newer pmcms.
    ///
    /// The check and the migrations run in one immediate transaction. GRDB's migrator reads
    /// which migrations are applied outside the transactions that apply them, so two processes
    /// opening a new store at once (two importers, say) both saw it unmigrated and the slower
    /// one re-ran a migration the other had just committed ("table entry already exists").
    /// The identifiers are kept in GRDB's `grdb_migrations` table, so stores made before stay
    /// readable both ways.
    private static func migrate(_ database: DatabaseQueue, path: String) throws {
        let known = Schema.migrations.map(\.identifier)
        try translatingBusy(path: path) {
            // An up-to-date store, the common case, needs no write lock.
            let applied = try database.read { db in try Self.appliedMigrationIdentifiers(db) }
            try Self.refuseNewer(applied: applied, known: known, path: path)
            if Set(known).isSubset(of: applied) { return }
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                    let applied = try Self.appliedMigrationIdentifiers(db)
                    try Self.refuseNewer(applied: applied, known: known, path: path)
                    for migration in Schema.migrations where !applied.contains(migration.identifier) {
                        try db.execute(sql: migration.sql)
                        try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
                    }
                    return .commit
                }
            }
        }
    }

    private static func refuseNewer(applied: [String], known: [String], path: String) throws {
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw StoreError.newerStore(path: path, unknown: unknown.sorted()) }
    }

    /// Read from `sqlite_master` in the caller's transaction rather than through GRDB's schema
    /// cache, which another process's migration can make stale.
    private static func appliedMigrationIdentifiers(_ db: Database) throws -> [String] {
        let exists = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations')") ?? false
        guard exists else { return [] }
        return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
    }

    /// Identifiers of the migrations this store has applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try database.read { db in try Self.appliedMigrationIdentifiers(db) }
    }

    /// Runs `body` in one immediate transaction: all of it is committed, or none of it.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.translatingBusy(path: path) {
            var result: T?
            try database.inTransaction(.immediate) { db in
                result = try body(db)
                return .commit
            }
            guard let result else { throw StoreError.invalidField(name: "transaction", reason: "produced no result") }
            return result
        }
    }

    /// Runs `body` on a consistent snapshot of the store.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.translatingBusy(path: path) {
            try database.read { db in try body(db) }
        }
    }

    static func translatingBusy<T>(path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreError.busy(path: path)
        }
    }
}
