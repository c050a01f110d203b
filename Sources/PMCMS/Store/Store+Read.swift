import Foundation

/// Which revision of an entry to read.
public enum RevisionSelector: Sendable, Equatable {
    /// The current content (what an editor sees).
    case head
    /// What the site shows; nil when nothing is published.
    case live
    /// Any revision by number.
    case number(Int)
}

/// How `list` orders entries.
public enum ListSort: String, Sendable, CaseIterable {
    case updated, created, edited, title, slug, id

    var orderBy: SQLQuery {
        switch self {
        case .updated: "e.updated_at DESC, e.id DESC"
        case .created: "e.created_at DESC, e.id DESC"
        // SQLite sorts NULL first, so last when descending; PostgreSQL the other way round.
        case .edited: .either(sqlite: "r.edited_at DESC, e.id DESC", postgres: "r.edited_at DESC NULLS LAST, e.id DESC")
        // NOCASE folds ASCII letters only, as lower() does in the "C" collation.
        case .title: .either(sqlite: "r.title COLLATE NOCASE ASC, e.id ASC", postgres: "lower(r.title COLLATE \"C\") ASC, e.id ASC")
        case .slug: "e.slug ASC"
        case .id: "e.id ASC"
        }
    }
}

/// Filters for `list`.
public struct ListQuery: Sendable {
    public var kind: Kind?
    public var status: Status?
    /// Only entries whose current revision carries a schedule (a publication time or an expiry).
    public var scheduled: Bool
    public var sort: ListSort
    public var limit: Int?
    /// Entries to pass over before the first one returned (a page of a longer list).
    public var offset: Int

    public init(
        kind: Kind? = nil, status: Status? = nil, scheduled: Bool = false, sort: ListSort = .updated, limit: Int? = nil,
        offset: Int = 0
    ) {
        self.kind = kind
        self.status = status
        self.scheduled = scheduled
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }
}

extension ContentStore {
    /// The header of the entry named by `ref` (an id or a slug).
    public func header(_ ref: String) throws -> EntryHeader {
        try read { db in try Self.resolve(db, ref: ref) }
    }

    /// The entry at the selected revision, links resolved. Throws when `.live` is asked of an
    /// entry that has no live revision.
    public func entry(_ ref: String, at selector: RevisionSelector = .head) throws -> EntryView {
        try read { db in
            let header = try Self.resolve(db, ref: ref)
            let number: Int
            switch selector {
            case .head: number = header.head
            case .live:
                guard let live = header.live else {
                    throw StoreError.noLiveRevision(slug: header.slug)
                }
                number = live
            case .number(let n):
                guard n >= 1, n <= (try Self.maxRevision(db, entryID: header.id)) else {
                    throw StoreError.unknownRevision(slug: header.slug, number: n)
                }
                number = n
            }
            let content = try Self.fetchContent(db, entryID: header.id, number: number)
            return try Self.viewResolvingLinks(db, header: header, revision: number, content: content)
        }
    }

    /// Entries at their current revision, filtered and sorted.
    public func list(_ query: ListQuery) throws -> [EntryView] {
        try read { db in
            try db.fetchAll(Self.listSQL(query)).map { row in
                let (header, number, content) = try Self.decodeView(row)
                return try Self.viewResolvingLinks(db, header: header, revision: number, content: content)
            }
        }
    }

    /// How many entries the store holds.
    public func count() throws -> Int {
        try read { db in try db.fetchValue("SELECT COUNT(*) FROM entry") ?? 0 }
    }

    /// Every revision of the entry, oldest first.
    public func revisions(_ ref: String) throws -> [RevisionInfo] {
        try read { db in
            let header = try Self.resolve(db, ref: ref)
            let rows = try db.fetchAll("SELECT \(sql: Self.revisionColumns) FROM revision WHERE entry_id = \(header.id) ORDER BY number")
            return try rows.map { try Self.decodeRevision($0, slug: header.slug, live: header.live) }
        }
    }

    /// The content of revision `number` of the entry.
    public func content(_ ref: String, revision number: Int) throws -> Content {
        try read { db in
            let header = try Self.resolve(db, ref: ref)
            guard number >= 1, number <= (try Self.maxRevision(db, entryID: header.id)) else {
                throw StoreError.unknownRevision(slug: header.slug, number: number)
            }
            return try Self.fetchContent(db, entryID: header.id, number: number)
        }
    }

    // MARK: Shared readers

    /// The query behind `list`, kept apart so that a test can check its plan.
    static func listSQL(_ query: ListQuery) -> SQLQuery {
        var conditions: [SQLQuery] = []
        if let kind = query.kind { conditions.append("e.kind = \(kind.rawValue)") }
        if let status = query.status { conditions.append("r.status = \(status.rawValue)") }
        if query.scheduled {
            // The IN list comes from the small `revision_scheduled` index (migration 0010), so
            // the join starts from the few scheduled entries instead of probing every head.
            conditions.append("""
                (r.publish_at IS NOT NULL OR r.expire_at IS NOT NULL) \
                AND e.id IN (SELECT entry_id FROM revision WHERE publish_at IS NOT NULL OR expire_at IS NOT NULL)
                """)
        }
        var sql: SQLQuery = "SELECT \(sql: Self.viewColumns) FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head"
        if !conditions.isEmpty { sql += " WHERE \(literal: conditions.joined(separator: " AND "))" }
        sql += " ORDER BY \(literal: query.sort.orderBy)"
        if let limit = query.limit { sql += " LIMIT \(limit) OFFSET \(max(0, query.offset))" }
        return sql
    }

    static func resolve(_ db: any StoreSession, ref: String) throws -> EntryHeader {
        let header: EntryHeader?
        if Slug.isNumericID(ref), let id = Int64(ref) {
            header = try fetchHeader(db, id: id)
        } else {
            let row = try db.fetchOne("SELECT id, slug, kind, head, live, created_at, updated_at FROM entry WHERE slug = \(ref)")
            header = try row.map(decodeHeader)
        }
        guard let header else { throw StoreError.unknownEntry(ref: ref) }
        return header
    }

    static func fetchHeader(_ db: any StoreSession, id: Int64) throws -> EntryHeader? {
        let row = try db.fetchOne("SELECT id, slug, kind, head, live, created_at, updated_at FROM entry WHERE id = \(id)")
        return try row.map(decodeHeader)
    }

    static func requireHeader(_ db: any StoreSession, id: Int64) throws -> EntryHeader {
        guard let header = try fetchHeader(db, id: id) else { throw StoreError.unknownEntry(ref: String(id)) }
        return header
    }

    /// `known` pairs link columns with the links they encode (`encodeLinks`): a column holding
    /// one of them is not decoded again.
    static func fetchContent(_ db: any StoreSession, entryID: Int64, number: Int, known: [(json: String, links: [LinkRef])] = []) throws -> Content {
        guard let row = try db.fetchOne("""
                SELECT status, title, body, summary, image_url, source_url, edited_at, published_at, related, articles,
                       publish_at, expire_at, scheduled_revision
                FROM revision WHERE entry_id = \(entryID) AND number = \(number)
                """)
        else { throw StoreError.unknownRevision(slug: String(entryID), number: number) }
        return try decodeContent(row, known: known)
    }
}
