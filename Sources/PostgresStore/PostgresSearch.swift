import Foundation
public import PMCMS
import PostgresNIO

/// Full-text search on a PostgreSQL store (issue 19, item 3): the query syntax of the SQLite
/// store (`SearchSyntax`, the same parser), the same words found, and the same values back
/// (`SearchHit`, `SearchRanking`), so that a face cannot tell the backends apart.
///
/// The index is the generated `revision.search` of `Schema/Postgres/0002_postgres_search.sql`
/// (title, summary and body weighted like SQLite's bm25, accents folded, no stemming); each
/// entry's head revision is searched, as FTS5 indexes it. A query becomes a tsquery made of the
/// phrases typed, each bound as a parameter and turned into lexemes by `pmcms_search_phrase`,
/// joined by operators the code writes (`&&`, `||`, `!!`): nothing typed is SQL or tsquery
/// syntax, so no punctuation can make the server refuse a query.
///
/// Synchronous, like `PostgresSession`.
public enum PostgresSearch {
    /// Lengths of a snippet, as SQLite's `snippet(search, -1, open, close, '…', 14)`: at most
    /// 14 words around the hits.
    static let headlineOptions = "MaxWords=14, MinWords=13, ShortWord=0"
    /// How much of a body is indexed and shown in snippets (the migration's limit).
    static let indexedBodyCharacters = 100_000

    /// The hits from `query.offset` on, at most `query.limit` of them, ranked best first (ties
    /// by entry id), read in one statement (one snapshot), like `ContentStore.search`.
    public static func search(_ session: PostgresSession, _ query: SearchQuery) throws -> [SearchHit] {
        let parsed = try SearchSyntax.storeQuery(query.text)
        var binds: [Cell] = [], sought: [String] = []
        let tsquery = Self.tsquery(parsed, binds: &binds, sought: &sought)
        let ranked = rankingSQL(query, tsquery: tsquery, binds: &binds, limit: query.limit, offset: query.offset)
        let sql = "WITH ranked AS (\(ranked)) " + hitsSQL(tsquery: tsquery, sought: sought, binds: &binds, ranked: "ranked")
        return try translating(query.text) {
            try session.query(sql, binds).map(hit)
        }
    }

    /// The best `limit` matches of `query` (its kind and status filters applied; its own limit
    /// and offset ignored), and whether there are more, like `ContentStore.searchRanking`.
    public static func ranking(_ session: PostgresSession, _ query: SearchQuery, limit: Int) throws -> SearchRanking {
        let parsed = try SearchSyntax.storeQuery(query.text)
        var binds: [Cell] = []
        let tsquery = Self.tsquery(parsed, binds: &binds)
        // One more than `limit` tells whether there are more.
        let sql = rankingSQL(query, tsquery: tsquery, binds: &binds, limit: max(0, limit) + 1, offset: 0)
        let items = try translating(query.text) {
            try session.query(sql, binds).map { row in
                let (id, rank) = try row.decode((Int64, Double).self)
                return SearchRanking.Item(id: id, rank: rank)
            }
        }
        return SearchRanking(items: Array(items.prefix(max(0, limit))), more: items.count > max(0, limit))
    }

    /// The hits for `items`, a page of a ranking of `query`, in the ranking's order, like
    /// `ContentStore.searchHits`: an entry that changed since is shown as it is now (its
    /// snippet empty if it no longer matches).
    public static func hits(_ session: PostgresSession, _ query: SearchQuery, _ items: ArraySlice<SearchRanking.Item>) throws -> [SearchHit] {
        guard !items.isEmpty else { return [] }
        let parsed = try SearchSyntax.storeQuery(query.text)
        var binds: [Cell] = [], sought: [String] = []
        let tsquery = Self.tsquery(parsed, binds: &binds, sought: &sought)
        let ids = String(decoding: try JSONEncoder().encode(items.map(\.id)), as: UTF8.self)
        let ranks = try JSONEncoder().encode(items.map(\.rank))
        let list = parameter(.text(ids), &binds), rankList = parameter(.text(String(decoding: ranks, as: UTF8.self)), &binds)
        // The ranking's ids and ranks, in its order (entries since gone are left out by the join).
        let ranked = """
            SELECT ids.value::bigint AS id, ranks.value::float8 AS rank, ids.n
            FROM jsonb_array_elements_text(\(list)::jsonb) WITH ORDINALITY AS ids(value, n)
            JOIN jsonb_array_elements_text(\(rankList)::jsonb) WITH ORDINALITY AS ranks(value, n) USING (n)
            """
        let sql = "WITH ranked AS (\(ranked)) " + hitsSQL(tsquery: tsquery, sought: sought, binds: &binds, ranked: "ranked", order: "ranked.n")
        return try translating(query.text) {
            try session.query(sql, binds).map(hit)
        }
    }

    // MARK: - SQL

    /// The ranking: matching heads, filtered by kind and status, best first. ts_rank's default
    /// weights over the migration's A/B/D make the title count 10, the summary 4 and the body 1,
    /// as SQLite's bm25 weights them; normalization 1 (divide by 1 + log length) stands in for
    /// bm25's preference for shorter documents. The rank is negated so that lower is better, as
    /// bm25 gives it (`SearchHit.rank`); ties go to the lower entry id.
    static func rankingSQL(_ query: SearchQuery, tsquery: String, binds: inout [Cell], limit: Int, offset: Int) -> String {
        var sql = """
            SELECT e.id, -ts_rank(r.search, \(tsquery), 1)::float8 AS rank
            FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head
            WHERE r.search @@ \(tsquery)
            """
        if let kind = query.kind { sql += " AND e.kind = \(parameter(.text(kind.rawValue), &binds))" }
        if let status = query.status { sql += " AND r.status = \(parameter(.text(status.rawValue), &binds))" }
        sql += " ORDER BY rank, e.id"
        sql += " LIMIT \(parameter(.integer(Int64(max(0, limit))), &binds)) OFFSET \(parameter(.integer(Int64(max(0, offset))), &binds))"
        return sql
    }

    /// The hits for the rows of `ranked` (id, rank), in `order`: each entry's slug, kind,
    /// status and title, and a snippet of its head, with `SearchHit`'s marks around the hits
    /// and "…" where the field goes on before or after it. The field is chosen as FTS5's
    /// snippet chooses its column: 1000 points for each phrase sought (`sought`: those not after
    /// NOT) that it holds, 100 more when it is longer than a snippet (FTS5 then also tries a
    /// window from a sentence's start, which earns that), and the first of the best in the
    /// table's column order (title, body, summary). FTS5 counts the phrases in its best
    /// 14-word window, this the whole field: a long body with its hits far apart may differ.
    static func hitsSQL(tsquery: String, sought: [String], binds: inout [Cell], ranked: String, order: String = "ranked.rank, ranked.id") -> String {
        let open = parameter(.text(SearchHit.markOpen), &binds), close = parameter(.text(SearchHit.markClose), &binds)
        let options = parameter(.text(headlineOptions), &binds)
        let body = "left(r.body, \(indexedBodyCharacters))"
        /// A field's score: the phrases sought that `text`, indexed with weight `weight` (the
        /// migration's), holds, and whether it has more than 14 words.
        func score(_ text: String, _ weight: String) -> String {
            let found = sought.isEmpty ? "0" : sought.map { "(ts_filter(r.search, '{\(weight)}') @@ \($0))::int" }.joined(separator: " + ")
            return "1000 * (\(found)) + CASE WHEN \(text) ~ '^[^[:alnum:]]*([[:alnum:]]+[^[:alnum:]]+){14}[[:alnum:]]' THEN 100 ELSE 0 END"
        }
        let summary = "COALESCE(r.summary, '')"
        return """
            SELECT e.id, e.slug, e.kind, r.status, r.title, ranked.rank,
                   CASE WHEN r.search @@ q.query THEN
                       CASE WHEN starts_with(source.text, shown.plain) THEN '' ELSE '…' END || shown.headline ||
                       CASE WHEN right(source.text, length(shown.plain)) = shown.plain THEN '' ELSE '…' END
                   ELSE '' END AS snippet
            FROM \(ranked)
            JOIN entry e ON e.id = ranked.id
            JOIN revision r ON r.entry_id = e.id AND r.number = e.head
            CROSS JOIN (SELECT \(tsquery) AS query) q
            CROSS JOIN LATERAL (SELECT field.text FROM (VALUES
                (0, r.title, \(score("r.title", "a"))), (1, \(body), \(score(body, "d"))), (2, \(summary), \(score(summary, "b")))
                ) AS field(n, text, score) ORDER BY field.score DESC, field.n LIMIT 1) source
            CROSS JOIN LATERAL (SELECT headline, translate(headline, \(open) || \(close), '') AS plain
                FROM (SELECT ts_headline('pmcms_search'::regconfig, source.text, q.query,
                      'StartSel="' || \(open) || '", StopSel="' || \(close) || '", ' || \(options)) AS headline) h) shown
            ORDER BY \(order)
            """
    }

    /// The tsquery of a parsed query, as SQL over bound parameters: phrases are bound (their
    /// text never enters the SQL) and turned into lexemes by `pmcms_search_phrase`; the code
    /// writes only the operators. Grouped as FTS5 groups its syntax: adjacent phrases first
    /// (implicit AND), then NOT ("a NOT b" is a and not b), AND, OR, each from the left.
    static func tsquery(_ query: SearchSyntax.Query, binds: inout [Cell]) -> String {
        var sought: [String] = []
        return tsquery(query, binds: &binds, sought: &sought)
    }

    /// The tsquery, and in `sought` each phrase that is not after a NOT, as its own tsquery
    /// (what a snippet looks for).
    static func tsquery(_ query: SearchSyntax.Query, binds: inout [Cell], sought: inout [String]) -> String {
        // Split at the operators: groups of adjacent phrases, and the operator before each group.
        var groups: [[String]] = [[]]
        var operators: [SearchSyntax.Query.Operator] = []
        for part in query.parts {
            switch part {
            case .phrase(let words, let prefix):
                let phrase = "pmcms_search_phrase(\(parameter(.text(words), &binds)), \(prefix))"
                groups[groups.count - 1].append(phrase)
                if operators.last != .not { sought.append(phrase) }
            case .operator(let op):
                operators.append(op)
                groups.append([])
            }
        }
        func group(_ phrases: [String]) -> String {
            phrases.count == 1 ? phrases[0] : "(" + phrases.joined(separator: " && ") + ")"
        }
        // OR of ANDs of NOT chains: a NOT b NOT c is a && !!b && !!c.
        var ors: [String] = []
        var ands: [String] = []
        var chain = group(groups[0])
        for (op, next) in zip(operators, groups.dropFirst()) {
            switch op {
            case .not:
                chain = "(\(chain) && !!\(group(next)))"
            case .and:
                ands.append(chain)
                chain = group(next)
            case .or:
                ands.append(chain)
                ors.append(ands.count == 1 ? ands[0] : "(" + ands.joined(separator: " && ") + ")")
                ands = []
                chain = group(next)
            }
        }
        ands.append(chain)
        ors.append(ands.count == 1 ? ands[0] : "(" + ands.joined(separator: " && ") + ")")
        return ors.count == 1 ? ors[0] : "(" + ors.joined(separator: " || ") + ")"
    }

    /// Appends a bound value and returns its placeholder ($1, $2, …).
    static func parameter(_ value: Cell, _ binds: inout [Cell]) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    static func hit(_ row: PostgresRow) throws -> SearchHit {
        let (id, slug, kind, status, title, rank, snippet) = try row.decode((Int64, String, String, String, String, Double, String).self)
        guard let kind = Kind(rawValue: kind) else { throw PostgresStoreError.unexpectedValue(table: "entry", column: "kind") }
        guard let status = Status(rawValue: status) else { throw PostgresStoreError.unexpectedValue(table: "revision", column: "status") }
        return SearchHit(id: id, slug: slug, kind: kind, status: status, title: title, snippet: snippet, rank: rank)
    }

    /// The server's refusal of a query as the store's error, as SQLite's search reports one
    /// (not expected: what is typed reaches the server only as bound phrases).
    static func translating<T>(_ typed: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch PostgresStoreError.server(_, let sqlState, let message) where sqlState.hasPrefix("42") || sqlState.hasPrefix("22") {
            throw SearchSyntax.unsearchable(typed, detail: message)
        }
    }
}
