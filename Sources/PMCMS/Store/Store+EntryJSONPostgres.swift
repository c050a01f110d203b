import Foundation

/// The entry object on PostgreSQL (issue 19): built by PostgreSQL's JSON functions inside the
/// query that reads the entry, as SQLite's are (`entryObjectSQL`), so that an export of the
/// whole store is one streamed query, not two more round trips per entry to resolve its links
/// and a `Codable` encoding of 75 links (which together made `export json` of 100,000 entries
/// several times slower than on SQLite).
///
/// Two things differ from SQLite and are handled here. PostgreSQL cannot call `Markdown.html`,
/// so the query gives the object in two halves, before and after `body_html`, and the body
/// beside them; `body_html` is encoded by `JSONOutput.encoder` between the halves, as
/// `EntryView` encodes it. And `json_build_object` writes `"key" : value, "key" : value` (and
/// `json_agg` puts line breaks between elements): `JSONCompact` drops that whitespace, which is
/// outside every string, so the bytes are JSONEncoder's compact form. Every string is escaped
/// by PostgreSQL or by JSONEncoder; nothing is spliced into JSON unescaped.
extension ContentStore {
    func postgresEntryJSON(_ query: StreamQuery, _ visit: (Data) throws -> Void) throws -> Int {
        let sql = try Self.streamSQL(query, columns: Self.postgresEntryObjectColumns)
        let encoder = JSONOutput.encoder(pretty: false)
        return try read { db in
            var visited = 0
            var object: [UInt8] = []
            try db.forEach(sql) { row in
                let head: String = try row["pmcms_head"]
                let body: String = try row["pmcms_body"]
                let tail: String = try row["pmcms_tail"]
                object.removeAll(keepingCapacity: true)
                // `{"articles":…,"body":…}` without its closing brace, …
                JSONCompact.append(head, to: &object)
                guard object.last == UInt8(ascii: "}") else { throw StoreError.unknownStoredValue(type: "entry object", value: head) }
                object.removeLast()
                // … `body_html`, …
                object.append(contentsOf: #","body_html":"#.utf8)
                object.append(contentsOf: try encoder.encode(Markdown.html(body)))
                object.append(UInt8(ascii: ","))
                // … and `{"created_at":…}` without its opening brace.
                let start = object.count
                JSONCompact.append(tail, to: &object)
                guard object.count > start, object[start] == UInt8(ascii: "{") else {
                    throw StoreError.unknownStoredValue(type: "entry object", value: tail)
                }
                object.remove(at: start)
                try visit(Data(object))
                visited += 1
            }
            return visited
        }
    }

    /// The entry a link points at (`t`, joined to `l`, a `jsonb_array_elements` row of a
    /// revision's link column), as `EntryView` resolves it: the entry named by its slug, else
    /// the entry imported from its URL (SQLite's `linkTarget`).
    private static let postgresLinkTarget = """
        LEFT JOIN entry t ON t.id = COALESCE(
            CASE WHEN l.value->>'slug' IS NOT NULL THEN (SELECT id FROM entry WHERE slug = l.value->>'slug') END,
            (SELECT id FROM entry WHERE import_key = l.value->>'url'))
        """

    /// The related links in their stored order; a missing URL is the target's current
    /// `source_url`. `json_agg` of no rows is NULL where SQLite's `json_group_array` gives `[]`.
    private static let postgresRelatedSQL = """
        (SELECT COALESCE(json_agg(json_build_object(
                    'slug', t.slug, 'title', l.value->>'title',
                    'url', COALESCE(l.value->>'url',
                                    (SELECT source_url FROM revision WHERE entry_id = t.id AND number = t.head)))
                    ORDER BY l.position), '[]'::json)
           FROM jsonb_array_elements(r.related::jsonb) WITH ORDINALITY AS l(value, position) \(postgresLinkTarget))
        """

    /// The article cards, with the target's current summary and image.
    private static let postgresArticlesSQL = """
        (SELECT COALESCE(json_agg(json_build_object(
                    'image_url', tr.image_url, 'slug', t.slug, 'summary', tr.summary,
                    'title', l.value->>'title', 'url', COALESCE(l.value->>'url', tr.source_url))
                    ORDER BY l.position), '[]'::json)
           FROM jsonb_array_elements(r.articles::jsonb) WITH ORDINALITY AS l(value, position) \(postgresLinkTarget)
           LEFT JOIN revision tr ON tr.entry_id = t.id AND tr.number = t.head)
        """

    /// The members after `body_html`, in sorted key order; the schedule's keys only when set,
    /// as `EntryView` encodes them (one of four objects, where SQLite removes the NULL ones).
    private static func postgresTail(publishAt: Bool, expireAt: Bool) -> String {
        """
        json_build_object(
            'created_at', e.created_at,
            'edited_at', r.edited_at,\(expireAt ? "\n    'expire_at', r.expire_at," : "")
            'id', e.id,
            'image_url', r.image_url,
            'kind', e.kind,
            'live_revision', e.live,\(publishAt ? "\n    'publish_at', r.publish_at," : "")
            'published_at', r.published_at,
            'related', \(postgresRelatedSQL),
            'revision', r.number,
            'slug', e.slug,
            'source_url', r.source_url,
            'status', r.status,
            'summary', r.summary,
            'title', r.title,
            'updated_at', e.updated_at)
        """
    }

    /// The stream's columns on PostgreSQL: the object's members before `body_html`, the body to
    /// render, and the members after it.
    static let postgresEntryObjectColumns = """
        json_build_object('articles', \(postgresArticlesSQL), 'body', r.body)::text AS pmcms_head,
        r.body AS pmcms_body,
        (CASE WHEN r.publish_at IS NULL AND r.expire_at IS NULL THEN \(postgresTail(publishAt: false, expireAt: false))
              WHEN r.publish_at IS NULL THEN \(postgresTail(publishAt: false, expireAt: true))
              WHEN r.expire_at IS NULL THEN \(postgresTail(publishAt: true, expireAt: false))
              ELSE \(postgresTail(publishAt: true, expireAt: true))
         END)::text AS pmcms_tail
        """
}

/// Compacts JSON text that a database wrote with spaces and line breaks between its tokens.
enum JSONCompact {
    /// Appends `json` to `out` without the whitespace outside its strings. Inside a string every
    /// byte is kept: raw whitespace other than a space cannot occur there (it is escaped), and a
    /// `"` ends the string only when no backslash escapes it.
    static func append(_ json: String, to out: inout [UInt8]) {
        var json = json
        json.withUTF8 { bytes in
            out.reserveCapacity(out.count + bytes.count)
            var inString = false
            var escaped = false
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                    // Copy the run before this whitespace whole, then skip the whitespace.
                    if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                    runStart = index + 1
                default:
                    break
                }
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
    }
}
