import Foundation

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
