import Foundation
import GRDB
import Synchronization

/// An entry's header together with the store's content version, read in one snapshot.
public struct EntryStamp: Sendable {
    public var header: EntryHeader
    /// The store's content version when the header was read (`ContentStore.contentVersion`).
    public var version: Int64
}

extension ContentStore {
    /// A number that grows with every revision written to the store, by this process or any
    /// other: the id of the newest revision. Revisions are append-only (triggers refuse UPDATE
    /// and DELETE), and everything an entry's pages show (its fields, head and live pointers,
    /// history, and the entries its links resolve to) changes only together with a new revision
    /// in the same transaction, so content read at one version is still current while the store
    /// reports that version. Reading it is one step down the revision table's primary key.
    ///
    /// Settings and accounts are not content: they do not move it.
    public func contentVersion() throws -> Int64 {
        try read { db in try Self.contentVersion(db) }
    }

    /// The header of the entry `ref` names and the content version, in one snapshot: what a cache
    /// of the entry's pages is keyed by.
    public func stamp(_ ref: String) throws -> EntryStamp {
        try read { db in EntryStamp(header: try Self.resolve(db, ref: ref), version: try Self.contentVersion(db)) }
    }

    static func contentVersion(_ db: any StoreSession) throws -> Int64 {
        try db.fetchValue("SELECT COALESCE(MAX(id), 0) FROM revision") ?? 0
    }
}

/// Everything a server's kept pages depend on besides the request and who makes it: the content
/// version (`ContentStore.contentVersion`), the newest account event (every change to an account
/// is one, in the same transaction), and the settings. Two reads that give equal versions saw the
/// same pages, roles and rules.
public struct StoreVersion: Hashable, Sendable {
    /// The id of the newest revision.
    public var content: Int64
    /// The id of the newest account event.
    public var accounts: Int64
    /// Every setting, `key=value`, one a line, in key order (a handful of rows).
    public var settings: String

    static func read(_ db: any StoreSession) throws -> StoreVersion {
        let settings: SQLQuery = .either(
            sqlite: "SELECT COALESCE(group_concat(key || '=' || value, char(10)), '') FROM (SELECT key, value FROM setting ORDER BY key)",
            postgres: "SELECT COALESCE(string_agg(key || '=' || value, chr(10) ORDER BY key COLLATE \"C\"), '') FROM setting")
        let row = try db.fetchOne("""
            SELECT (SELECT COALESCE(MAX(id), 0) FROM revision) AS content,
                   (SELECT COALESCE(MAX(id), 0) FROM account_event) AS accounts,
                   (\(literal: settings)) AS settings
            """)
        return StoreVersion(content: try row?["content"] ?? 0, accounts: try row?["accounts"] ?? 0, settings: try row?["settings"] ?? "")
    }
}

/// Tells a long-running reader whether the store may have changed since it last looked, for
/// the cost of one `PRAGMA data_version` on a connection of its own (no transaction, no table
/// read): SQLite changes that number on a connection whenever another connection, in this process
/// or any other, commits. Only then is the `StoreVersion` read again.
///
/// The connection never waits for a lock (no busy timeout): asking costs microseconds or fails at
/// once, so a server may ask on its own threads and, only when that fails, ask again off them.
final class ChangeWatch: Sendable {
    private let connection: DatabaseQueue
    private let seen = Mutex<(dataVersion: Int64, version: StoreVersion)?>(nil)

    init(_ connection: DatabaseQueue) {
        self.connection = connection
    }

    func close() throws { try connection.close() }

    /// The version, or nil when reading it would have meant waiting for another connection.
    func versionWithoutWaiting() -> StoreVersion? {
        try? connection.inDatabase { db in
            // data_version first, then the version: a commit between the two makes the next
            // call read the version again (the number moved), never keep an old version under
            // a new number.
            let dataVersion = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? -1
            if let seen = seen.withLock({ $0 }), seen.dataVersion == dataVersion { return seen.version }
            let version = try StoreVersion.read(SQLiteSession(db: db))
            seen.withLock { $0 = (dataVersion, version) }
            return version
        }
    }
}

extension ContentStore {
    /// The store's `StoreVersion`, read on a snapshot (waiting for other writers' locks as reads do).
    public func version() throws -> StoreVersion {
        if let version = watch?.versionWithoutWaiting() { return version }
        return try read { db in try StoreVersion.read(db) }
    }

    /// The store's `StoreVersion` when it can be known without waiting for a lock: on a store
    /// opened with a read pool (a server), watched through SQLite's data version, so that asking
    /// costs microseconds while nothing changes and never blocks. Nil otherwise: then ask
    /// `version()` where waiting is allowed.
    public func versionWithoutWaiting() -> StoreVersion? {
        watch?.versionWithoutWaiting()
    }
}
