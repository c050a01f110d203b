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
}

/// Filters for `search`.
public struct SearchQuery: Sendable {
    public var text: String
    public var kind: Kind?
    public var status: Status?
    public var limit: Int

    public init(_ text: String, kind: Kind? = nil, status: Status? = nil, limit: Int = 20) {
        self.text = text
        self.kind = kind
        self.status = status
        self.limit = limit
    }
}

extension ContentStore {
    /// Full-text search over the current title, body and summary of every entry, ranked by
    /// bm25 with the title weighted above the summary and the body.
    /// The search, before its optional filters and its `ORDER BY rank LIMIT ?`; the tests read
    /// its query plan (arguments: the two snippet marks, the query).
    static let searchSQL = """
        SELECT e.id, e.slug, e.kind, r.status, r.title,
               snippet(search, -1, ?, ?, '…', 14) AS snippet,
               bm25(search, 10.0, 1.0, 4.0) AS rank
        FROM search
        JOIN entry e ON e.id = search.rowid
        JOIN revision r ON r.entry_id = e.id AND r.number = e.head
        WHERE search MATCH ?
        """

    public func search(_ query: SearchQuery) throws -> [SearchHit] {
        let text = query.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StoreError.invalidField(name: "query", reason: "it is empty") }
        let expression: String
        do {
            expression = try SearchSyntax.fts(text)
        } catch let error as SearchSyntax.QueryError {
            throw StoreError.invalidField(name: "query", reason: error.description)
        }
        return try read { db in
            var sql = SQL(sql: Self.searchSQL, arguments: [SearchHit.markOpen, SearchHit.markClose, expression])
            if let kind = query.kind { sql += " AND e.kind = \(kind.rawValue)" }
            if let status = query.status { sql += " AND r.status = \(status.rawValue)" }
            sql += " ORDER BY rank LIMIT \(query.limit)"
            do {
                return try SQLRequest<Row>(literal: sql).fetchAll(db).map { row in
                    SearchHit(
                        id: row["id"], slug: row["slug"], kind: try Self.enumValue(row["kind"]),
                        status: try Self.enumValue(row["status"]), title: row["title"], snippet: row["snippet"],
                        rank: row["rank"])
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
                // SearchSyntax writes only phrases and operators, so this is not expected.
                throw StoreError.invalidField(
                    name: "query",
                    reason: "'\(text)' could not be searched (\(error.message ?? "syntax error")). Use words, \"a phrase\", prefix*, AND, OR, NOT")
            }
        }
    }

    static func indexForSearch(_ db: Database, entryID: Int64, content: Content) throws {
        try db.cachedStatement(sql: "DELETE FROM search WHERE rowid = ?").execute(arguments: [entryID])
        try db.cachedStatement(sql: "INSERT INTO search (rowid, title, body, summary) VALUES (?, ?, ?, ?)")
            .execute(arguments: [entryID, content.title, content.body, content.summary ?? ""])
    }
}
