import Foundation

/// Which revision of each entry a stream visits.
public enum StreamSelection: Sendable, Equatable {
    /// The live revision of every entry that has one: what the site shows.
    case live
    /// The head (latest) revision of every entry, whatever its status.
    case head
}

/// The order a stream visits entries in.
public enum StreamOrder: Sendable, Equatable {
    /// By id, oldest entry first: stable, for data exports.
    case id
    /// Newest `edited_at` first, entries without one last (not at the time of their import), then newest
    /// id: for feeds. Served by an index, so a feed of N reads N entries.
    case newestEdited
}

/// What `ContentStore.stream(_:_:)` reads.
public struct StreamQuery: Sendable, Equatable {
    public var selection: StreamSelection
    public var kind: Kind?
    /// Only entries whose `updated_at` is at or after this date or timestamp.
    public var since: String?
    public var order: StreamOrder
    public var limit: Int?
    /// Whether each entry comes with its revisions.
    public var withHistory: Bool
    /// Whether each entry's related and article links are decoded and resolved. Writers that
    /// print no links (CSV, feeds, sitemap) turn it off: resolving costs a query and a JSON
    /// decode per entry, most of a CSV export's time. Without it the views' link lists are empty.
    public var withLinks: Bool = true
    /// The time a `.live` stream is taken at: live revisions whose expiry has come (or whose
    /// publication time has not) are left out, whether or not `publish-due` has run. Nil: now.
    public var now: String?

    public init(
        selection: StreamSelection = .live, kind: Kind? = nil, since: String? = nil, order: StreamOrder = .id,
        limit: Int? = nil, withHistory: Bool = false
    ) {
        self.selection = selection
        self.kind = kind
        self.since = since
        self.order = order
        self.limit = limit
        self.withHistory = withHistory
    }
}

/// One entry visited by a stream, with its revisions when the query asked for them.
public struct StreamedEntry: Sendable {
    public var view: EntryView
    /// Oldest first; nil unless `StreamQuery.withHistory`.
    public var revisions: [RevisionInfo]?
}

extension ContentStore {
    /// Visits the entries `query` selects one at a time, on one consistent snapshot, so that
    /// memory stays flat however many entries the store holds. Returns how many were visited.
    @discardableResult
    public func stream(_ query: StreamQuery, _ visit: (StreamedEntry) throws -> Void) throws -> Int {
        // Without links, the link columns (as large as the body, on a seed-shaped question) are
        // not read at all: a CSV export of PostgreSQL would otherwise carry them over the wire.
        let sql = try Self.streamSQL(query, columns: query.withLinks ? Self.viewColumns : Self.viewColumnsWithoutLinks)
        return try read { db in
            var visited = 0
            try db.forEach(sql) { row in
                let view: EntryView
                if query.withLinks {
                    let (header, number, content) = try Self.decodeView(row)
                    view = try Self.viewResolvingLinks(db, header: header, revision: number, content: content)
                } else {
                    let (header, number, content) = try Self.decodeView(row, links: false)
                    view = EntryView(header: header, revision: number, content: content, related: [], articles: [])
                }
                var revisions: [RevisionInfo]?
                if query.withHistory {
                    revisions = try db.fetchAll(
                        "SELECT \(sql: Self.revisionColumns) FROM revision WHERE entry_id = \(view.header.id) ORDER BY number"
                    ).map { try Self.decodeRevision($0, slug: view.header.slug, live: view.header.live) }
                }
                try visit(StreamedEntry(view: view, revisions: revisions))
                visited += 1
            }
            return visited
        }
    }

    /// The slugs of the entries `query` selects, without reading their revisions: which
    /// entries an export holds, for links between them.
    public func slugs(_ query: StreamQuery) throws -> Set<String> {
        let sql = try Self.streamSQL(query, columns: "e.slug")
        return try read { db in Set(try db.fetchValues(sql) as [String]) }
    }

    /// SQLite's plan for `query`, one line per step: lets tests check that the newest-N feed
    /// walks an index rather than sorting the whole store.
    public func streamPlan(_ query: StreamQuery) throws -> [String] {
        let sql = try Self.streamSQL(query)
        return try read { db in
            try db.fetchAll("EXPLAIN QUERY PLAN \(literal: sql)").map { try $0["detail"] }
        }
    }

    static func streamSQL(_ query: StreamQuery, columns: String = viewColumns) throws -> SQLQuery {
        let (pointer, sortKey) = query.selection == .live ? ("e.live", "e.live_feed_date") : ("e.head", "e.head_feed_date")
        var conditions: [SQLQuery] = query.selection == .live ? ["e.live IS NOT NULL"] : []
        if query.selection == .live {
            // What the site shows at `now`: not before its publication time (a live revision never
            // keeps one, but a file edited by hand might), not from its expiry on. NULL in nearly every row.
            let now = query.now ?? Timestamp.now()
            conditions.append("(r.expire_at IS NULL OR r.expire_at > \(now)) AND (r.publish_at IS NULL OR r.publish_at <= \(now))")
        }
        if let kind = query.kind { conditions.append("e.kind = \(kind.rawValue)") }
        if let since = query.since {
            // updated_at is always written as YYYY-MM-DDTHH:MM:SSZ, so the canonical form of
            // the bound compares correctly as text.
            guard let date = Timestamp.parse(since) else {
                throw StoreError.notADate(field: "since", text: since)
            }
            conditions.append("e.updated_at >= \(Timestamp.format(date))")
        }
        // The column list and the pointer and sort columns are this file's own constants.
        var sql: SQLQuery = "SELECT \(sql: columns) FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = \(sql: pointer)"
        if !conditions.isEmpty { sql += " WHERE \(literal: conditions.joined(separator: " AND "))" }
        switch query.order {
        case .id: sql += " ORDER BY e.id ASC"
        case .newestEdited:
            // SQLite sorts NULL first, so last when descending; PostgreSQL the other way round.
            sql += " ORDER BY \(sql: sortKey) DESC\(literal: .either(sqlite: "", postgres: " NULLS LAST")), e.id DESC"
        }
        if let limit = query.limit { sql += " LIMIT \(max(0, limit))" }
        return sql
    }
}
