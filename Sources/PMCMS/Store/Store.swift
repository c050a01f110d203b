public import Foundation  // TimeInterval in the public API
import GRDB
import Schema

/// The content store: one SQLite file (or a PostgreSQL database) of entries, their append-only
/// revisions, links and settings.
///
/// Every write runs in one immediate transaction, so a change is all there or not there, and
/// two processes writing at once wait for each other (up to the busy timeout) instead of failing.
public final class ContentStore: Sendable {
    /// The path of the SQLite file (for a PostgreSQL store, its address without a password).
    public let path: String
    /// The SQLite connection; nil for a store on another backend.
    private let sqliteQueue: DatabaseQueue?
    /// Read-only connections for a long-running server (`serve`): pages read from them side by
    /// side, on WAL snapshots, while `database` writes. Nil for a command, which reads on
    /// `database` as it writes.
    let readers: DatabasePool?
    /// With `readers`: a connection of its own that tells whether anything changed (`version()`).
    let watch: ChangeWatch?
    /// The backend when the store is not a SQLite file (PostgreSQL, from `PostgresStore`).
    let backend: (any StoreBackend)?

    /// The SQLite connection, for the code that runs on SQLite only so far; on another backend,
    /// an error that names `operation`.
    func sqliteDatabase(_ operation: String) throws -> DatabaseQueue {
        guard let sqliteQueue else { throw StoreError.notOnThisBackend(path: path, operation: operation) }
        return sqliteQueue
    }

    /// The SQLite connection (for tests that look at the file itself).
    var database: DatabaseQueue {
        get throws { try sqliteDatabase("this") }
    }

    /// The store on another backend (PostgreSQL): `backend` runs every transaction; `path`
    /// names it in messages.
    package init(backend: any StoreBackend) {
        self.path = backend.location
        self.backend = backend
        self.sqliteQueue = nil
        self.readers = nil
        self.watch = nil
    }

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 30

    /// Opens the store at `path`, creating it when `create` is true, and migrates it in place.
    public convenience init(path: String, create: Bool = false) throws {
        try self.init(path: path, access: create ? .create : .write)
    }

    /// Closes a SQLite store's connections, for a process that used it to the end (a server
    /// that stops): the last one to close folds SQLite's write-ahead log into the file and
    /// removes it and its index, as SQLite does, instead of leaving them for the next command.
    /// Nothing may use the store afterwards. A PostgreSQL store's connection ends with the process.
    public func close() throws {
        try watch?.close()
        try readers?.close()
        try sqliteQueue?.close()
    }

    /// Opens the store at `path` for `access`.
    ///
    /// Nothing is written before the file is known to be a store, or (for `.create`) a
    /// missing or empty file: a foreign SQLite database, an empty file or any other file is
    /// refused and left byte-identical. With `.read` nothing is ever written, an older store is
    /// not migrated, and a store in a read-only file or folder can still be read.
    ///
    /// With `readPool`, reads go through a pool of read-only connections (GRDB's
    /// `DatabasePool`, WAL snapshots), so that many readers run at once beside a writer; writes
    /// still go through the one writing connection, waiting for other processes as commands do.
    public init(path: String, access: StoreAccess, readPool: Bool = false) throws {
        self.path = path
        let file = try StoreFile.inspect(path)
        switch file {
        case .missing where access != .create:
            throw StoreError.noStore(path: path)
        case .empty where access != .create:
            throw StoreError.notAStore(path: path, reason: .emptyFile)
        case .sqlite:
            if let tables = StoreFile.foreignTables(path) { throw StoreSchema.foreign(path: path, tables: tables) }
        default:
            break
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "pmcms"
        configuration.prepareDatabase { db in
            // Connection settings only, which write nothing: the journal mode is set once the
            // file is known to be ours (`adopt`).
            // What GRDB chose for WAL mode, and SQLite's advice for it: a commit is atomic and
            // consistent; the last ones may be lost on power failure, never half-written.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Savepoints (one per imported page) keep the original of every page they change in
            // a sub-journal, a temporary file by default: ~480 writes per imported page. In
            // memory it costs nothing, and it lives only until the savepoint is released.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        var opened: DatabaseQueue
        var schema: StoreSchema
        do {
            opened = try DatabaseQueue(path: path, configuration: configuration)
            schema = try opened.read { db in try StoreSchema(db) }
        } catch let error as DatabaseError where access == .read && StoreFile.mayReadImmutable(path, error: error) {
            // A store in a folder this user cannot write: SQLite cannot make the shared-memory
            // file WAL readers need. With no write-ahead log left behind, the database file alone
            // is the whole store, and SQLite can read it as immutable.
            configuration.readonly = true
            do {
                opened = try DatabaseQueue(path: StoreFile.immutableURI(path), configuration: configuration)
                schema = try opened.read { db in try StoreSchema(db) }
            } catch let error as DatabaseError {
                throw StoreError.translating(error, path: path)
            }
        } catch let error as DatabaseError {
            throw StoreError.translating(error, path: path)
        }
        sqliteQueue = opened
        backend = nil
        // Another process may be migrating this store at this moment: GRDB commits each
        // migration on its own, so a reader can see some applied and not the rest. Such a store
        // is looked at again for a moment (a migration takes milliseconds) before a command that
        // does not write calls it older.
        for _ in 0..<20 where access == .read && schema.isPartlyMigrated {
            usleep(100_000)
            schema = try Self.translatingErrors(path: path) { try opened.read { db in try StoreSchema(db) } }
        }
        try schema.check(path: path, access: access)
        if access != .read { try Self.adopt(opened, path: path) }
        if readPool {
            // The file is a WAL store by now (adopted above, or read only: then it already is,
            // or the pool refuses it and the error says so).
            var readOnly = configuration
            readOnly.readonly = true
            readOnly.label = "pmcms.readers"
            readers = try Self.translatingErrors(path: path) { try DatabasePool(path: path, configuration: readOnly) }
            var watching = readOnly
            watching.label = "pmcms.watch"
            watching.busyMode = .immediateError
            watch = ChangeWatch(try Self.translatingErrors(path: path) { try DatabaseQueue(path: path, configuration: watching) })
        } else {
            readers = nil
            watch = nil
        }
    }

    /// Makes a (new or known) store use write-ahead logging and brings its schema up to date.
    private static func adopt(_ database: DatabaseQueue, path: String) throws {
        // WAL, so that readers never wait for a writer. The mode is stored in the file, so it
        // is set once, when the store is new. (GRDB's `journalMode = .wal` also makes sure a
        // WAL file exists by committing a throwaway table on every open: a write, with a sync
        // at close, for every read-only command.)
        try translatingErrors(path: path) {
            // Two processes making the same new store switch its mode at once; SQLite answers
            // one of them BUSY at once, without waiting, to avoid a deadlock between their
            // locks. It is retried after a pause: the other switch is over in milliseconds.
            for attempt in 1...100 {
                do {
                    try database.writeWithoutTransaction { db in
                        if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                            guard mode == "wal" else {
                                throw StoreError.noWriteAheadLog(path: path, mode: mode)
                            }
                        }
                    }
                    return
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 100 {
                    usleep(50_000)
                }
            }
        }
        try migrate(database, path: path)
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

    /// Brings the store up to date through GRDB's `DatabaseMigrator`, refusing a store made
    /// by a newer pmcms.
    ///
    /// The migrator reads which migrations are applied before the transaction that applies one,
    /// so two processes opening a new store at once (two importers, say) can both see it
    /// unmigrated; the slower one then fails on a migration the other just committed ("table
    /// entry already exists"). Its transaction rolled back whole, so it reads the applied list
    /// again and goes on from there.
    private static func migrate(_ database: DatabaseQueue, path: String) throws {
        let known = Schema.migrations.map(\.identifier)
        let migrator = Self.migrator
        try translatingErrors(path: path) {
            for attempt in 1...5 {
                // An up-to-date store, the common case, needs no write lock.
                let applied = try database.read { db in try Self.appliedMigrationIdentifiers(db) }
                try Self.refuseNewer(applied: applied, known: known, path: path)
                if Set(known).isSubset(of: applied) { return }
                do {
                    try migrator.migrate(database)
                    return
                } catch let error as DatabaseError
                            where (error.resultCode == .SQLITE_ERROR || error.resultCode == .SQLITE_CONSTRAINT) && attempt < 5 {
                    // Another process migrated meanwhile: its tables exist (SQLITE_ERROR), or a
                    // migration with nothing left to do (`DROP INDEX IF EXISTS`) ran and only
                    // recording it failed (SQLITE_CONSTRAINT). Rolled back either way: look again.
                    continue
                }
            }
        }
    }

    static func refuseNewer(applied: [String], known: [String], path: String) throws {
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw StoreError.newerStore(path: path, unknown: unknown.sorted()) }
    }

    /// Read from `sqlite_master` in the caller's transaction rather than through GRDB's schema
    /// cache, which another process's migration can make stale.
    static func appliedMigrationIdentifiers(_ db: Database) throws -> [String] {
        let exists = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations')") ?? false
        guard exists else { return [] }
        return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
    }

    /// Identifiers of the migrations this store has applied, oldest first.
    public func appliedMigrations() throws -> [String] {
        try sqliteDatabase("listing migrations").read { db in try Self.appliedMigrationIdentifiers(db) }
    }

    /// Runs `body` in one transaction on either backend: all of it is committed, or none of it.
    /// With `rollback` (a dry run) nothing is committed.
    func write<T>(rollback: Bool = false, _ body: (any StoreSession) throws -> T) throws -> T {
        if let backend { return try backend.write(rollback: rollback, body) }
        return try writeSQLite(rollback: rollback) { db in try body(SQLiteSession(db: db)) }
    }

    /// Runs `body` on a consistent snapshot of the store, on either backend.
    func read<T>(_ body: (any StoreSession) throws -> T) throws -> T {
        if let backend { return try backend.read(body) }
        return try readSQLite { db in try body(SQLiteSession(db: db)) }
    }

    /// Runs `body` in one immediate SQLite transaction: all of it is committed, or none of it.
    /// For the code not yet written for both backends; on PostgreSQL it throws `notOnThisBackend`.
    func writeSQLite<T>(operation: String = #function, rollback: Bool = false, _ body: (Database) throws -> T) throws -> T {
        let database = try sqliteDatabase(Self.operationName(operation))
        return try Self.translatingErrors(path: path) {
            var result: T?
            try database.inTransaction(.immediate) { db in
                result = try body(db)
                if rollback { return .rollback }
                CrashPoint.reach(.beforeCommit)
                return .commit
            }
            if !rollback { CrashPoint.reach(.afterCommit) }
            guard let result else { throw StoreError.transactionWithoutResult }
            return result
        }
    }

    /// Runs `body` on a consistent SQLite snapshot of the store. For the code not yet written
    /// for both backends; on PostgreSQL it throws `notOnThisBackend`.
    func readSQLite<T>(operation: String = #function, _ body: (Database) throws -> T) throws -> T {
        let database = try sqliteDatabase(Self.operationName(operation))
        return try Self.translatingErrors(path: path) {
            if let readers { return try readers.read { db in try body(db) } }
            return try database.read { db in try body(db) }
        }
    }

    /// The caller's name (`#function`, "publishDue(now:dryRun:)") as words for a message.
    static func operationName(_ function: String) -> String {
        let name = function.prefix { $0 != "(" }
        var words = ""
        for character in name {
            if character.isUppercase { words += " " + character.lowercased() } else { words.append(character) }
        }
        return words
    }

    /// Runs `body`, turning SQLite's errors about the file (busy, read-only, corrupt, I/O,
    /// cannot open) into `StoreError`s that say what to do; other errors pass unchanged.
    static func translatingErrors<T>(path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StoreError.translating(error, path: path)
        }
    }
}
