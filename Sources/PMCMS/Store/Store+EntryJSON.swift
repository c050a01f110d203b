public import Foundation  // Data in the public API
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
    ///
    /// On PostgreSQL the object is built the same way by its JSON functions (`postgresEntryJSON`).
    @discardableResult
    public func streamEntryJSON(_ query: StreamQuery, _ visit: (Data) throws -> Void) throws -> Int {
        precondition(!query.withHistory, "streamEntryJSON writes no history; use stream(_:_:)")
        if backend != nil { return try postgresEntryJSON(query, visit) }
        let (sql, values) = try Self.streamSQL(query, columns: Self.entryObjectSQL).rendered(for: .sqlite)
        return try readSQLite { db in
            db.add(function: Self.bodyHTMLFunction)
            var visited = 0
            let cursor = try Row.fetchCursor(
                db, sql: sql, arguments: StatementArguments(values.map(SQLiteSession.databaseValue)))
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

    /// The entry a link points at (`t`, joined to `l`, a `json_each` row of a revision's link
    /// column), as `EntryView` resolves it: the entry named by its slug, else the entry imported
    /// from its URL. The slug lookup is skipped for links without one (all imported links).
    private static let linkTarget = """
        LEFT JOIN entry t ON t.id = COALESCE(
            CASE WHEN json_extract(l.value, '$.slug') IS NOT NULL
                 THEN (SELECT id FROM entry WHERE slug = json_extract(l.value, '$.slug')) END,
            (SELECT id FROM entry WHERE import_key = json_extract(l.value, '$.url')))
        """

    /// The related links: a missing URL is the target's current `source_url`, looked up only
    /// then (COALESCE evaluates lazily).
    private static let relatedSQL = """
        (SELECT json_group_array(json_object(
                'slug', t.slug, 'title', json_extract(l.value, '$.title'),
                'url', COALESCE(json_extract(l.value, '$.url'),
                                (SELECT source_url FROM revision WHERE entry_id = t.id AND number = t.head))))
           FROM json_each(r.related) l \(linkTarget))
        """

    /// The article cards, with the target's current summary and image.
    private static let articlesSQL = """
        (SELECT json_group_array(json_object(
                'image_url', tr.image_url, 'slug', t.slug, 'summary', tr.summary,
                'title', json_extract(l.value, '$.title'),
                'url', COALESCE(json_extract(l.value, '$.url'), tr.source_url)))
           FROM json_each(r.articles) l \(linkTarget)
           LEFT JOIN revision tr ON tr.entry_id = t.id AND tr.number = t.head)
        """

    /// The entry object's members in sorted key order, as JSONEncoder's `.sortedKeys` writes
    /// them. The schedule's keys are there only when set (as `EntryView` encodes them): an entry
    /// without a schedule (nearly all) gets the object without them; one with a schedule gets
    /// both, and `json_remove` drops the one that is NULL (a path that names nothing is a no-op).
    static let entryObjectSQL = """
        CASE WHEN r.publish_at IS NULL AND r.expire_at IS NULL THEN \(entryObject(schedule: false))
        ELSE json_remove(\(entryObject(schedule: true)),
                         CASE WHEN r.publish_at IS NULL THEN '$.publish_at' ELSE '$.~' END,
                         CASE WHEN r.expire_at IS NULL THEN '$.expire_at' ELSE '$.~' END)
        END
        """

    private static func entryObject(schedule: Bool) -> String {
        """
        json_object(
            'articles', \(articlesSQL),
            'body', r.body,
            'body_html', pmcms_body_html(r.body),
            'created_at', e.created_at,
            'edited_at', r.edited_at,\(schedule ? "\n    'expire_at', r.expire_at," : "")
            'id', e.id,
            'image_url', r.image_url,
            'kind', e.kind,
            'live_revision', e.live,\(schedule ? "\n    'publish_at', r.publish_at," : "")
            'published_at', r.published_at,
            'related', \(relatedSQL),
            'revision', r.number,
            'slug', e.slug,
            'source_url', r.source_url,
            'status', r.status,
            'summary', r.summary,
            'title', r.title,
            'updated_at', e.updated_at)
        """
    }
}
