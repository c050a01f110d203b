import Foundation

/// Link resolution: what an entry's links point at among the entries the store holds.
extension ContentStore {
    /// Resolves links against the entries the store holds: by slug, else by the URL an entry
    /// was imported from; articles also carry their target's summary and image.
    static func viewResolvingLinks(_ db: any StoreSession, header: EntryHeader, revision: Int, content: Content) throws -> EntryView {
        // The targets, from the entry table alone (an index seek per link, through one cached
        // statement). A target's current revision is read only where it is needed, for cards
        // and for links without a URL: reading it for all 75 links of a seed-shaped question
        // doubled the pages `show` reads.
        struct Target { let id: Int64, slug: String }
        struct Card { let sourceURL: String?, summary: String?, imageURL: String? }
        var bySlug: [String: Target] = [:]
        var byKey: [String: Target] = [:]
        let all = content.related + content.articles
        if !all.isEmpty {
            let slugs = try jsonArray(all.compactMap(\.slug)), urls = try jsonArray(all.compactMap(\.url))
            // PostgreSQL plans `x IN (subquery) OR y IN (subquery)` as a scan of every entry (16 ms
            // at 100,000 entries, for each entry shown or exported); arrays let it look each one
            // up in the two unique indexes.
            let postgres: SQLQuery = """
                slug = ANY(ARRAY(SELECT jsonb_array_elements_text(\(slugs)::jsonb)))
                OR import_key = ANY(ARRAY(SELECT jsonb_array_elements_text(\(urls)::jsonb)))
                """
            let sqlite: SQLQuery = "slug IN \(literal: jsonElements(slugs)) OR import_key IN \(literal: jsonElements(urls))"
            let rows = try db.fetchAll(
                "SELECT id, slug, import_key FROM entry WHERE \(literal: .either(sqlite: sqlite, postgres: postgres))")
            for row in rows {
                let found = Target(id: try row["id"], slug: try row["slug"])
                bySlug[found.slug] = found
                if let key: String = try row["import_key"] { byKey[key] = found }
            }
        }
        func target(_ link: LinkRef) -> Target? { link.slug.flatMap { bySlug[$0] } ?? link.url.flatMap { byKey[$0] } }
        let needingRevision = Set(
            content.articles.compactMap { target($0)?.id } + content.related.filter { $0.url == nil }.compactMap { target($0)?.id })
        var current: [Int64: Card] = [:]
        if !needingRevision.isEmpty {
            let rows = try db.fetchAll("""
                SELECT e.id, r.source_url, r.summary, r.image_url
                FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head
                WHERE e.id IN \(literal: jsonElements(try jsonArray(needingRevision.sorted()), integers: true))
                """)
            for row in rows {
                current[try row["id"]] = Card(sourceURL: try row["source_url"], summary: try row["summary"], imageURL: try row["image_url"])
            }
        }
        func resolve(_ link: LinkRef, withCard: Bool) -> ResolvedLink {
            let found = target(link)
            let revision = found.flatMap { current[$0.id] }
            return ResolvedLink(
                title: link.title, url: link.url ?? revision?.sourceURL, slug: found?.slug,
                summary: withCard ? revision?.summary : nil, imageURL: withCard ? revision?.imageURL : nil)
        }
        return EntryView(
            header: header, revision: revision, content: content,
            related: content.related.map { resolve($0, withCard: false) },
            articles: content.articles.map { resolve($0, withCard: true) })
    }

    /// `values` as a JSON array, bound as one parameter and read back by `jsonElements`.
    private static func jsonArray<T: Encodable>(_ values: [T]) throws -> String {
        String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    }

    /// A subquery giving the elements of a JSON array bound as one parameter (text, or
    /// integers): a list of any length in one statement, whose text stays the same.
    static func jsonElements(_ json: String, integers: Bool = false) -> SQLQuery {
        .either(
            sqlite: "(SELECT value FROM json_each(\(json)))",
            postgres: integers
                ? "(SELECT value::bigint FROM jsonb_array_elements_text(\(json)::jsonb) AS value)"
                : "(SELECT value FROM jsonb_array_elements_text(\(json)::jsonb) AS value)")
    }
}
