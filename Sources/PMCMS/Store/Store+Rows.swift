import Foundation

/// Row decoding: the column lists the readers select, and one decoder per row shape.
extension ContentStore {
    static let viewColumns = """
        e.id, e.slug, e.kind, e.head, e.live, e.created_at, e.updated_at, r.number, r.status, r.title, r.body, \
        r.summary, r.image_url, r.source_url, r.edited_at, r.published_at, r.related, r.articles, \
        r.publish_at, r.expire_at, r.scheduled_revision
        """

    /// `viewColumns` but the link columns, for views decoded with `links: false`.
    static let viewColumnsWithoutLinks = """
        e.id, e.slug, e.kind, e.head, e.live, e.created_at, e.updated_at, r.number, r.status, r.title, r.body, \
        r.summary, r.image_url, r.source_url, r.edited_at, r.published_at, r.publish_at, r.expire_at, r.scheduled_revision
        """

    static let revisionColumns = """
        entry_id, number, parent, origin, status, author, created_at, message, hash, upstream, lines_added, lines_removed, \
        publish_at, expire_at
        """

    static func decodeHeader(_ row: SQLRow) throws -> EntryHeader {
        try EntryHeader(
            id: row["id"], slug: row["slug"], kind: try enumValue(row["kind"]), head: row["head"],
            live: row["live"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    /// The content of a revision row; with `links` false its link lists are left empty.
    static func decodeContent(_ row: SQLRow, links: Bool = true, known: [(json: String, links: [LinkRef])] = []) throws -> Content {
        func decoded(_ column: String) throws -> [LinkRef] {
            guard links else { return [] }
            let text: String = try row[column]
            return try known.first { $0.json == text }?.links ?? decodeLinks(text)
        }
        return try Content(
            status: try enumValue(row["status"]), title: row["title"], body: row["body"], summary: row["summary"],
            imageURL: row["image_url"], sourceURL: row["source_url"], editedAt: row["edited_at"],
            publishedAt: row["published_at"], related: try decoded("related"), articles: try decoded("articles"),
            schedule: try decodeSchedule(row))
    }

    /// The schedule columns of a revision row (migration 0008).
    static func decodeSchedule(_ row: SQLRow) throws -> Schedule {
        try Schedule(publishAt: row["publish_at"], expireAt: row["expire_at"], pinnedRevision: row["scheduled_revision"])
    }

    static func decodeView(_ row: SQLRow, links: Bool = true) throws -> (EntryHeader, Int, Content) {
        (try decodeHeader(row), try row["number"], try decodeContent(row, links: links))
    }

    static func decodeRevision(_ row: SQLRow, slug: String, live: Int?) throws -> RevisionInfo {
        let number: Int = try row["number"]
        return try RevisionInfo(
            entryID: row["entry_id"], slug: slug, number: number, parent: row["parent"],
            origin: try enumValue(row["origin"]), status: try enumValue(row["status"]), author: row["author"],
            createdAt: row["created_at"], message: row["message"], hash: row["hash"], upstream: row["upstream"],
            live: live == number, linesAdded: row["lines_added"], linesRemoved: row["lines_removed"],
            publishAt: row["publish_at"], expireAt: row["expire_at"])
    }

    static func enumValue<T: RawRepresentable>(_ raw: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw StoreError.unknownStoredValue(type: String(describing: T.self).lowercased(), value: raw)
        }
        return value
    }
}
