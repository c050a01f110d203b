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

    private static func migrate(_ database: DatabaseQueue, path: String) throws {
        let migrator = Self.migrator
        try translatingBusy(path: path) {
            let (superseded, applied) = try database.read { db in
                (try migrator.hasBeenSuperseded(db), try Self.appliedMigrationIdentifiers(db))
            }
            if superseded {
                let known = Set(Schema.migrations.map(\.identifier))
                throw StoreError.newerStore(path: path, unknown: applied.filter { !known.contains($0) }.sorted())
            }
            try migrator.migrate(database)
        }
    }

    private static func appliedMigrationIdentifiers(_ db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
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
