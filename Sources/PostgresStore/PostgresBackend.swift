import Foundation
public import PMCMS  // returns a ContentStore
import PostgresNIO
import Schema
import Synchronization

/// The core's store on a PostgreSQL database: `ContentStore`'s transactions run here, its
/// queries (`SQLQuery`, rendered with `$1…` parameters) through one `PostgresSession`.
///
/// Reads run in a REPEATABLE READ READ ONLY transaction: one snapshot, as SQLite's reads are.
///
/// Writes take the store's writer lock first (a session advisory lock, taken before BEGIN so
/// that the transaction's snapshot is made after the writer before it committed): one writer at
/// a time, waiting up to `ContentStore.busyTimeout` as SQLite's writers wait for each other.
/// Without it an import batch, one long transaction, lost its serialization race to every short
/// edit that committed meanwhile, and under a busy desk it never committed at all. Writes still
/// run SERIALIZABLE, and one that loses all the same (to a program that writes without the lock,
/// a deadlock, a unique violation on the revision number, or a head that moved under its
/// compare-and-set) is rolled back and run again from the start. It then sees the other
/// writer's revision, and a change based on the old head is refused as stale (exit 3). A killed
/// process's lock goes with its connection.
///
/// A connection that breaks (the server restarted, an administrator ended it, the network
/// dropped) is replaced by a new one at the next transaction, so that a long-running `serve`
/// recovers by itself. A transaction whose first statement found it broken is begun again at
/// once on the new one (nothing was done yet); one that broke later is reported, not run again:
/// a read may have handed rows on already (an export has printed them), and whether a write's
/// COMMIT arrived is unknown.
final class PostgresBackend: StoreBackend {
    /// The connection, replaced when it broke (`beginning`).
    private let current: Mutex<PostgresSession>
    var session: PostgresSession { current.withLock { $0 } }
    /// Set when a statement found the connection broken: the next transaction opens a new one.
    private let broken = Mutex(false)
    /// One transaction at a time on the one connection.
    private let lock = NSLock()
    /// Whether this connection's lock waits are bounded yet (`takeWriterLock`).
    private let lockTimeoutSet = Mutex(false)
    /// How many times a write that lost a race is run again before the error is reported.
    static let attempts = 20
    /// The writer lock's key: "pmcmsW" in ASCII, beside the migrator's "pmcms" in `pg_locks`.
    static let writerLockKey: Int64 = 0x70_6d_63_6d_73_57

    var location: String { session.location.description }

    init(_ session: PostgresSession) {
        current = Mutex(session)
    }

    func read<T>(_ body: (any StoreSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    func write<T>(rollback: Bool, _ body: (any StoreSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        // Nothing is written before the lock is held: a broken connection found here is replaced.
        try beginning { try takeWriterLock() }
        defer {
            // A lost connection took its lock with it.
            if !broken.withLock({ $0 }) { _ = try? session.query("SELECT pg_advisory_unlock($1)", [.integer(Self.writerLockKey)]) }
        }
        for attempt in 1... {
            do {
                return try transaction("BEGIN ISOLATION LEVEL SERIALIZABLE", rollback: rollback, crashPoints: true, body)
            } catch where attempt < Self.attempts && Self.lostRace(error) {
                // A short, growing, random pause, so that two writers that collided do not
                // collide again in step.
                usleep(UInt32.random(in: 1_000...(5_000 * UInt32(min(attempt, 10)))))
            }
        }
        fatalError("unreachable: the loop returns or throws")
    }

    /// Runs `start`, a first statement that changes nothing, on a working connection: one
    /// known to be broken is replaced first, and when `start` finds it broken, it is replaced
    /// and `start` runs once more.
    private func beginning(_ start: () throws -> Void) throws {
        try replaceIfBroken()
        do {
            try start()
        } catch where Self.connectionLost(error) {
            broken.withLock { $0 = true }
            try replaceIfBroken()
            try start()
        }
    }

    private func replaceIfBroken() throws {
        guard broken.withLock({ $0 }) || session.isGone else { return }
        let fresh = try PostgresSession(session.location)
        let old = current.withLock { value in
            defer { value = fresh }
            return value
        }
        try? old.close()
        lockTimeoutSet.withLock { $0 = false }
        broken.withLock { $0 = false }
    }

    /// Whether `error` says the connection is gone: it broke, or the server ended it (57P01
    /// admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 08xxx connection
    /// exceptions).
    static func connectionLost(_ error: any Error) -> Bool {
        switch error as? PostgresStoreError {
        case .cannotConnect: return true
        case .server(_, let sqlState, _): return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
        default: return false
        }
    }

    /// Waits for the store's writer lock, as long as SQLite waits for its file's; a store held
    /// longer is busy (`StoreError.busy`), as on SQLite.
    private func takeWriterLock() throws {
        do {
            if !lockTimeoutSet.withLock({ $0 }) {
                // Session-wide: also bounds a row lock held by a program writing without the lock.
                try session.query("SET lock_timeout = '\(Int(ContentStore.busyTimeout))s'")
                lockTimeoutSet.withLock { $0 = true }
            }
            try session.query("SELECT pg_advisory_lock($1)", [.integer(Self.writerLockKey)])
        } catch PostgresStoreError.server(_, "55P03", _) {
            throw StoreError.busy(path: location)
        }
    }

    /// Search runs on the backend's own connection, in a read transaction like every read
    /// (one snapshot), with PostgreSQL's full-text index (`PostgresSearch`).
    func search(_ query: SearchQuery) throws -> [SearchHit] {
        try read { _ in try PostgresSearch.search(session, query) }
    }

    func searchRanking(_ query: SearchQuery, limit: Int) throws -> SearchRanking {
        try read { _ in try PostgresSearch.ranking(session, query, limit: limit) }
    }

    func searchHits(_ query: SearchQuery, _ items: ArraySlice<SearchRanking.Item>) throws -> [SearchHit] {
        try read { _ in try PostgresSearch.hits(session, query, items) }
    }

    /// Runs `body` in one transaction; a write (`crashPoints`) that commits passes the crash
    /// tests' stops just before and just after its COMMIT, as SQLite's writes do (`CrashPoint`).
    private func transaction<T>(_ begin: String, rollback: Bool = false, crashPoints: Bool = false,
                                _ body: (any StoreSession) throws -> T) throws -> T {
        try beginning { try session.query(begin) }
        do {
            let result = try body(PostgresStoreSession(session: session))
            if rollback {
                try session.query("ROLLBACK")
            } else {
                if crashPoints { CrashPoint.reach(.beforeCommit) }
                try session.query("COMMIT")
                if crashPoints { CrashPoint.reach(.afterCommit) }
            }
            return result
        } catch {
            if Self.connectionLost(error) {
                broken.withLock { $0 = true }  // the server rolls back what a lost connection began
            } else {
                _ = try? session.query("ROLLBACK")
            }
            throw error
        }
    }

    /// Whether `error` says the transaction lost a race with another writer, so that running
    /// it again may succeed: 40001 serialization_failure, 40P01 deadlock_detected, 23505
    /// unique_violation (two writers adding the same revision number), or the head's
    /// compare-and-set finding no row.
    static func lostRace(_ error: any Error) -> Bool {
        if case .server(_, let sqlState, _) = error as? PostgresStoreError {
            return ["40001", "40P01", "23505"].contains(sqlState)
        }
        if case .headMoved = error as? StoreError { return true }
        return false
    }
}

/// One transaction's queries on PostgreSQL, for the core.
struct PostgresStoreSession: StoreSession {
    let session: PostgresSession

    var dialect: SQLDialect { .postgres }

    func fetchAll(_ query: SQLQuery) throws -> [SQLRow] {
        let (sql, values) = query.rendered(for: .postgres)
        return try Self.rows(try session.query(sql, values: values))
    }

    func fetchOne(_ query: SQLQuery) throws -> SQLRow? {
        try fetchAll(query).first
    }

    /// Reads through a cursor in batches, so that an export of the whole store never holds it
    /// in memory; other queries may run between two batches (links, history). The next batch
    /// is asked for before this one is visited, so that the server makes it (an export's entry
    /// objects, with their links resolved) while this process writes the one before: on two
    /// cores, the two halves of the work overlap instead of taking turns.
    func forEach(_ query: SQLQuery, _ visit: (SQLRow) throws -> Void) throws {
        let (sql, values) = query.rendered(for: .postgres)
        let name = "pmcms_rows_\(Self.cursorNumber.add(1))"
        _ = try session.query("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", values: values)
        let fetch = "FETCH \(Self.batchSize) FROM \(name)"
        var next: PendingRows? = session.start(fetch)
        while let pending = next {
            let fetched = try pending.wait()
            // A short batch was the last one.
            next = fetched.count == Self.batchSize ? session.start(fetch) : nil
            do {
                for row in try Self.rows(fetched) { try visit(row) }
            } catch {
                _ = try? next?.wait()  // not left running behind the ROLLBACK
                throw error
            }
        }
        try session.query("CLOSE \(name)")
    }

    /// Rows per cursor batch: an export's entry objects are about 35 KB each.
    static let batchSize = 500

    /// Counts the rows an INSERT, UPDATE or DELETE changed (postgres-nio's async API does not
    /// report the command tag): the statement runs inside `WITH … RETURNING 1`.
    @discardableResult
    func execute(_ query: SQLQuery) throws -> Int {
        let (sql, values) = query.rendered(for: .postgres)
        let counted = "WITH changed AS (\(sql) RETURNING 1) SELECT count(*) FROM changed"
        let rows = try session.query(counted, values: values)
        return try rows.first.map { row in Int(try row.decode(Int64.self)) } ?? 0
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try session.query("SAVEPOINT pmcms_step")
        do {
            let result = try body()
            try session.query("RELEASE SAVEPOINT pmcms_step")
            return result
        } catch {
            if !mustAbort(error) {
                try session.query("ROLLBACK TO SAVEPOINT pmcms_step")
                try session.query("RELEASE SAVEPOINT pmcms_step")
            }
            throw error
        }
    }

    func mustAbort(_ error: any Error) -> Bool {
        if PostgresBackend.lostRace(error) { return true }
        switch error as? PostgresStoreError {
        case .cannotConnect, .authenticationFailed, .blockingOnEventLoop: return true
        // 53xxx insufficient resources (disk full, out of memory), 57xxx operator intervention,
        // 58xxx system errors: the server is in trouble, not the page.
        case .server(_, let sqlState, _): return ["53", "57", "58"].contains(String(sqlState.prefix(2)))
        default: return false
        }
    }

    private static let cursorNumber = AtomicCounter()

    /// postgres-nio's rows as the core's: integers, text, floats, booleans (as 0 or 1) and bytes.
    static func rows(_ rows: [PostgresRow]) throws -> [SQLRow] {
        guard let first = rows.first else { return [] }
        let columns = SQLColumns(first.map(\.columnName))
        return try rows.map { row in
            SQLRow(columns: columns, values: try row.map(value))
        }
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        do {
            switch cell.dataType {
            case .int8, .int4, .int2: return .integer(try cell.decode(Int64.self))
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .float8, .float4: return .real(try cell.decode(Double.self))
            case .bytea: return .blob([UInt8](try cell.decode(ByteBuffer.self).readableBytesView))
            default: return .text(try cell.decode(String.self))
            }
        } catch {
            throw PostgresStoreError.unexpectedValue(table: "result", column: cell.columnName)
        }
    }
}

/// A process-wide counter for cursor names.
private final class AtomicCounter: Sendable {
    private let value = Mutex(0)
    func add(_ amount: Int) -> Int { value.withLock { $0 += amount; return $0 } }
}

/// Opens a `ContentStore` on a PostgreSQL database, as `ContentStore(path:access:)` opens a file.
public enum PostgresContentStore {
    /// The store at `url` (postgres://…) for `access`: a read never changes the database (an
    /// empty one is "no store"; an older schema is read as it is); a write first brings the
    /// schema up to date under the migrator's advisory lock.
    public static func open(url: String, access: StoreAccess) throws -> ContentStore {
        let session = try PostgresSession(url: url)
        let location = session.location.description
        switch access {
        case .read:
            let applied = try PostgresMigrator.applied(session)
            if applied.isEmpty { throw StoreError.noStore(path: location) }
            let unknown = Set(applied).subtracting(PostgresSchema.migrations.map(\.identifier)).sorted()
            if !unknown.isEmpty { throw PostgresStoreError.newerStore(location: location, unknown: unknown) }
        case .write:
            // As for a file: only commands that add content make a new store.
            if try PostgresMigrator.applied(session).isEmpty { throw StoreError.noStore(path: location) }
            try PostgresMigrator.migrate(session)
        case .create:
            try PostgresMigrator.migrate(session)
        }
        return ContentStore(backend: PostgresBackend(session))
    }
}
