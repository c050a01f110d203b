import Foundation
import GRDB

/// One search hit: the entry, its rank (lower is better, as bm25 gives it) and a snippet with
/// the matched terms between `SearchHit.markOpen` and `SearchHit.markClose`.
public struct SearchHit: Sendable {
    public static let markOpen = "\u{2}"
    public static let markClose = "\u{3}"

    public var id: Int64
    public var slug: String
    public var kind: Kind
    public var status: Status
    public var title: String
    public var snippet: String
    public var rank: Double

    /// For the package's other backend (PostgresStore), whose search returns this same value.
    package init(id: Int64, slug: String, kind: Kind, status: Status, title: String, snippet: String, rank: Double) {
        self.id = id
        self.slug = slug
        self.kind = kind
        self.status = status
        self.title = title
        self.snippet = snippet
        self.rank = rank
    }
}

/// Filters for `search`.
public struct SearchQuery: Sendable {
    public var text: String
    public var kind: Kind?
    public var status: Status?
    public var limit: Int
    /// Hits to pass over before the first one returned (a later page of results).
    public var offset: Int

    public init(_ text: String, kind: Kind? = nil, status: Status? = nil, limit: Int = 20, offset: Int = 0) {
        self.text = text
        self.kind = kind
        self.status = status
        self.limit = limit
        self.offset = offset
    }
}

/// A search's best matches in rank order, as entry ids with their bm25 rank, up to a limit:
/// ranking is the cost of a search (bm25 over every match: a common word matches most of a large
/// store), and one ranking serves every page within it, and the count of matches up to its
/// limit, without ranking again.
public struct SearchRanking: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var id: Int64
        public var rank: Double

        package init(id: Int64, rank: Double) {
            self.id = id
            self.rank = rank
        }
    }

    /// At most the limit the ranking was asked for, best first.
    public var items: [Item]
    /// More entries match than `items` holds.
    public var more: Bool

    /// For the package's other backend (PostgresStore), whose ranking is this same value.
    package init(items: [Item], more: Bool) {
        self.items = items
        self.more = more
    }
}

extension ContentStore {
    /// bm25 with the title weighted above the summary and the summary above the body.
    static let searchRankExpression = "bm25(search, 10.0, 1.0, 4.0)"

    /// The ranking: the full-text index alone ranks and pages the matches (joining entries and
    /// revisions only to apply a filter), so nothing but ids and ranks is read for the matches
    /// not shown. Named arguments: `query`, `limit`, `offset`, and `kind` and `status` when
    /// filtered.
    static func rankingSQL(kind: Bool, status: Bool) -> String {
        var sql = "SELECT search.rowid AS id, \(searchRankExpression) AS rank FROM search"
        if kind || status {
            sql += " JOIN entry e ON e.id = search.rowid JOIN revision r ON r.entry_id = e.id AND r.number = e.head"
        }
        sql += " WHERE search MATCH :query"
        if kind { sql += " AND e.kind = :kind" }
        if status { sql += " AND r.status = :status" }
        return sql + " ORDER BY rank LIMIT :limit OFFSET :offset"
    }

    /// The hits shown, for the ranked ids in `:ids` (a JSON array), in that order: each entry's
    /// slug, kind, status and title, and its snippet, computed for that row only (the index finds
    /// it by rowid and the query, then reads and tokenises that one body). Named arguments: `ids`,
    /// `query`, `open`, `close`.
    static let hitsSQL = """
        SELECT e.id, e.slug, e.kind, r.status, r.title,
               COALESCE((SELECT snippet(search, -1, :open, :close, '…', 14) FROM search
                         WHERE search MATCH :query AND search.rowid = e.id), '') AS snippet
        FROM json_each(:ids) AS ranked
        JOIN entry e ON e.id = ranked.value
        JOIN revision r ON r.entry_id = e.id AND r.number = e.head
        ORDER BY ranked.key
        """

    /// Full-text search over the current title, body and summary of every entry, ranked by
    /// bm25 with the title weighted above the summary and the body: the hits from `offset` on,
    /// at most `limit` of them, read in one snapshot.
    public func search(_ query: SearchQuery) throws -> [SearchHit] {
        let expression = try Self.searchExpression(query.text)
        if let backend { return try backend.search(query) }
        return try readSQLite { db in
            let ranking = try Self.ranking(db, query, expression: expression, limit: query.limit, offset: query.offset)
            return try Self.hits(db, ranking.items[...], expression: expression, typed: query.text)
        }
    }

    /// The best `limit` matches of `query` (its kind and status filters applied; its own limit
    /// and offset ignored), and whether there are more: a ranking to page through with
    /// `searchHits`, and to count matches with up to its limit.
    public func searchRanking(_ query: SearchQuery, limit: Int) throws -> SearchRanking {
        let expression = try Self.searchExpression(query.text)
        if let backend { return try backend.searchRanking(query, limit: limit) }
        return try readSQLite { db in try Self.ranking(db, query, expression: expression, limit: limit, offset: 0) }
    }

    /// The hits for `items`, a page of a ranking of `query`, in the ranking's order. An entry
    /// that changed since the ranking is shown as it is now (its snippet empty if it no longer
    /// matches).
    public func searchHits(_ query: SearchQuery, _ items: ArraySlice<SearchRanking.Item>) throws -> [SearchHit] {
        let expression = try Self.searchExpression(query.text)
        if let backend { return try backend.searchHits(query, items) }
        return try readSQLite { db in try Self.hits(db, items, expression: expression, typed: query.text) }
    }

    /// One more than `limit` is asked for, which tells whether there are more.
    static func ranking(_ db: Database, _ query: SearchQuery, expression: String, limit: Int, offset: Int) throws -> SearchRanking {
        var arguments: [String: (any DatabaseValueConvertible)?] = [
            "query": expression, "limit": max(0, limit) + 1, "offset": max(0, offset),
        ]
        if let kind = query.kind { arguments["kind"] = kind.rawValue }
        if let status = query.status { arguments["status"] = status.rawValue }
        let sql = rankingSQL(kind: query.kind != nil, status: query.status != nil)
        let items = try translatingSearchErrors(query.text) {
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments)).map { row in
                SearchRanking.Item(id: row["id"], rank: row["rank"])
            }
        }
        return SearchRanking(items: Array(items.prefix(max(0, limit))), more: items.count > max(0, limit))
    }

    static func hits(_ db: Database, _ items: ArraySlice<SearchRanking.Item>, expression: String, typed: String) throws -> [SearchHit] {
        guard !items.isEmpty else { return [] }
        let ranks = Dictionary(items.map { ($0.id, $0.rank) }, uniquingKeysWith: { first, _ in first })
        let ids = String(decoding: try JSONEncoder().encode(items.map(\.id)), as: UTF8.self)
        let arguments: StatementArguments = ["ids": ids, "query": expression, "open": SearchHit.markOpen, "close": SearchHit.markClose]
        return try translatingSearchErrors(typed) {
            try Row.fetchAll(db.cachedStatement(sql: hitsSQL), arguments: arguments).map { row in
                let id: Int64 = row["id"]
                return SearchHit(
                    id: id, slug: row["slug"], kind: try enumValue(row["kind"]), status: try enumValue(row["status"]),
                    title: row["title"], snippet: row["snippet"], rank: ranks[id] ?? 0)
            }
        }
    }

    /// The FTS5 expression for what a person typed, or why it cannot be searched.
    static func searchExpression(_ typed: String) throws -> String {
        SearchSyntax.fts(try SearchSyntax.storeQuery(typed))
    }

    static func translatingSearchErrors<T>(_ typed: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            // SearchSyntax writes only phrases and operators, so this is not expected.
            throw SearchSyntax.unsearchable(typed, detail: error.message ?? "syntax error")
        }
    }

    /// Puts the entry's head into the search index. The one place the write path touches it.
    static func indexForSearch(_ db: any StoreSession, entryID: Int64, content: Content) throws {
        switch db.dialect {
        case .sqlite:
            try db.execute("DELETE FROM search WHERE rowid = \(entryID)")
            try db.execute("INSERT INTO search (rowid, title, body, summary) VALUES (\(entryID), \(content.title), \(content.body), \(content.summary ?? ""))")
        case .postgres:
            // Nothing to write: PostgreSQL's index is a column generated from the revision
            // (Schema/Postgres/0002), searched by `StoreBackend.search`.
            break
        }
    }
}
