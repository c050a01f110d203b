import Foundation
import GRDB

/// Link resolution: what an entry's links point at among the entries the store holds.
extension ContentStore {
    /// Resolves links against the entries the store holds: by slug, else by the URL an entry
    /// was imported from; articles also carry their target's summary and image.
    static func viewResolvingLinks(_ db: Database, header: EntryHeader, revision: Int, content: Content) throws -> EntryView {
        // The targets, from the entry table alone (an index seek per link, through one cached
        // statement). A target's current revision is read only where it is needed, for cards
        // and for links without a URL: reading it for all 75 links of a seed-shaped question
        // doubled the pages `show` reads.
        var bySlug: [String: Row] = [:]
        var byKey: [String: Row] = [:]
        let all = content.related + content.articles
        if !all.isEmpty {
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT id, slug, import_key FROM entry
                    WHERE slug IN (SELECT value FROM json_each(?)) OR import_key IN (SELECT value FROM json_each(?))
                    """),
                arguments: [try jsonArray(all.compactMap(\.slug)), try jsonArray(all.compactMap(\.url))])
            for row in rows {
                bySlug[row["slug"]] = row
                if let key: String = row["import_key"] { byKey[key] = row }
            }
        }
        func target(_ link: LinkRef) -> Row? { link.slug.flatMap { bySlug[$0] } ?? link.url.flatMap { byKey[$0] } }
        let needingRevision = Set(
            content.articles.compactMap { target($0)?["id"] as Int64? }
                + content.related.filter { $0.url == nil }.compactMap { target($0)?["id"] as Int64? })
        var current: [Int64: Row] = [:]
        if !needingRevision.isEmpty {
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT e.id, r.source_url, r.summary, r.image_url
                    FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head
                    WHERE e.id IN (SELECT value FROM json_each(?))
                    """),
                arguments: [try jsonArray(needingRevision.sorted())])
            for row in rows { current[row["id"]] = row }
        }
        func resolve(_ link: LinkRef, withCard: Bool) -> ResolvedLink {
            let found = target(link)
            let revision = found.flatMap { current[$0["id"]] }
            return ResolvedLink(
                title: link.title, url: link.url ?? revision?["source_url"], slug: found?["slug"],
                summary: withCard ? revision?["summary"] : nil, imageURL: withCard ? revision?["image_url"] : nil)
        }
        return EntryView(
            header: header, revision: revision, content: content,
            related: content.related.map { resolve($0, withCard: false) },
            articles: content.articles.map { resolve($0, withCard: true) })
    }

    /// `values` as a JSON array, bound as one parameter and read back with `json_each`.
    private static func jsonArray<T: Encodable>(_ values: [T]) throws -> String {
        String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    }
}
