import Foundation
import GRDB

extension ContentStore {
    /// Visits the entry object ("The entry object" in the product brief) of each entry `query`
    /// selects, as compact JSON text with sorted keys, in stream order.
    ///
    /// The object is built by SQLite's JSON functions inside the query that reads the entry:
    /// links are expanded from the revision's link columns and resolved by index lookups, and
    /// `body_html` comes from `Markdown.html` registered as an SQL function. This is the same
    /// object `EntryView` encodes (a test compares the two over a varied store), made without a
    /// Swift value per link: encoding 75 resolved links per entry through `Codable` was most of
    /// a JSON export's time. SQLite escapes every string; nothing is concatenated here.
    /// History is not included: `withHistory` queries use `stream(_:_:)`.
    @discardableResult
    public func streamEntryJSON(_ query: StreamQuery, _ visit: (Data) throws -> Void) throws -> Int {
        precondition(!query.withHistory, "streamEntryJSON writes no history; use stream(_:_:)")
        let (sql, arguments) = try Self.streamSQL(query, columns: Self.entryObjectSQL)
        return try read { db in
            db.add(function: Self.bodyHTMLFunction)
            var visited = 0
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                try row.withUnsafeData(atIndex: 0) { data in try visit(data ?? Data()) }
                visited += 1
            }
            return visited
        }
    }

    /// `body_html` of the entry object, for the query below.
    static let bodyHTMLFunction = DatabaseFunction("pmcms_body_html", argumentCount: 1, pure: true) { values in
        Markdown.html(String.fromDatabaseValue(values[0]) ?? "")
    }

    /// One link of a revision's link column (`l`, a `json_each` row) resolved as `EntryView`
    /// resolves it: the entry named by its slug, else the entry imported from its URL (`t`),
    /// with that entry's current revision (`tr`) for a missing URL and for card fields.
    private static func resolvedLinks(_ column: String, object: String) -> String {
        """
        (SELECT json_group_array(\(object))
           FROM json_each(r.\(column)) l
           LEFT JOIN entry t ON t.id = COALESCE(
               (SELECT id FROM entry WHERE slug = json_extract(l.value, '$.slug')),
               (SELECT id FROM entry WHERE import_key = json_extract(l.value, '$.url')))
           LEFT JOIN revision tr ON tr.entry_id = t.id AND tr.number = t.head)
        """
    }

    /// The entry object's members in sorted key order, as JSONEncoder's `.sortedKeys` writes them.
    static let entryObjectSQL = """
        json_object(
            'articles', \(resolvedLinks("articles", object: """
                json_object('image_url', tr.image_url, 'slug', t.slug, 'summary', tr.summary,
                            'title', json_extract(l.value, '$.title'),
                            'url', COALESCE(json_extract(l.value, '$.url'), tr.source_url))
                """)),
            'body', r.body,
            'body_html', pmcms_body_html(r.body),
            'created_at', e.created_at,
            'edited_at', r.edited_at,
            'id', e.id,
            'image_url', r.image_url,
            'kind', e.kind,
            'live_revision', e.live,
            'published_at', r.published_at,
            'related', \(resolvedLinks("related", object: """
                json_object('slug', t.slug, 'title', json_extract(l.value, '$.title'),
                            'url', COALESCE(json_extract(l.value, '$.url'), tr.source_url))
                """)),
            'revision', r.number,
            'slug', e.slug,
            'source_url', r.source_url,
            'status', r.status,
            'summary', r.summary,
            'title', r.title,
            'updated_at', e.updated_at)
        """
}
