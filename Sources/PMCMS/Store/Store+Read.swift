import Foundation
import GRDB

/// Which revision of an entry to read.
public enum RevisionSelector: Sendable, Equatable {
    /// The current content (what an editor sees).
    case head
    /// What the site shows; nil when nothing is published.
    case live
    /// Any revision by number.
    case number(Int)
}

/// How `list` orders entries.
public enum ListSort: String, Sendable, CaseIterable {
    case updated, created, edited, title, slug, id

    var orderBy: String {
        switch self {
        case .updated: "e.updated_at DESC, e.id DESC"
        case .created: "e.created_at DESC, e.id DESC"
        case .edited: "r.edited_at DESC, e.id DESC"
        case .title: "r.title COLLATE NOCASE ASC, e.id ASC"
        case .slug: "e.slug ASC"
        case .id: "e.id ASC"
        }
    }
}

/// Filters for `list`.
public struct ListQuery: Sendable {
    public var kind: Kind?
    public var status: Status?
    /// Only entries whose current revision carries a schedule (a publication time or an expiry).
    public var scheduled: Bool
    public var sort: ListSort
    public var limit: Int?
    /// Entries to pass over before the first one returned (a page of a longer list).
    public var offset: Int

    public init(
        kind: Kind? = nil, status: Status? = nil, scheduled: Bool = false, sort: ListSort = .updated, limit: Int? = nil,
        offset: Int = 0
    ) {
        self.kind = kind
        self.status = status
        self.scheduled = scheduled
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }
}

extension ContentStore {
    /// The header of the entry named by `ref` (an id or a slug).
    public func header(_ ref: String) throws -> EntryHeader {
        try read { db in try Self.resolve(db, ref: ref) }
    }

    /// The entry at the selected revision, links resolved. Throws when `.live` is asked of an
    /// entry that has no live revision.
    public func entry(_ ref: String, at selector: RevisionSelector = .head) throws -> EntryView {
        try read { db in
            let header = try Self.resolve(db, ref: ref)
            let number: Int
            switch selector {
            case .head: number = header.head
            case .live:
                guard let live = header.live else {
                    throw StoreError.invalidField(name: "revision", reason: "'\(header.slug)' has no live revision: it is not published")
                }
                number = live
            case .number(let n):
                guard n >= 1, n <= (try Self.maxRevision(db, entryID: header.id)) else {
                    throw StoreError.unknownRevision(slug: header.slug, number: n)
                }
                number = n
            }
            let content = try Self.fetchContent(db, entryID: header.id, number: number)
            return try Self.view(db, header: header, revision: number, content: content)
        }
    }

    /// Entries at their current revision, filtered and sorted.
    public func list(_ query: ListQuery) throws -> [EntryView] {
        try read { db in
            let (sql, arguments) = Self.listSQL(query)
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let (header, number, content) = try Self.decodeView(row)
                return try Self.view(db, header: header, revision: number, content: content)
            }
        }
    }

    /// How many entries the store holds.
    public func count() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry") ?? 0 }
    }

    /// Every revision of the entry, oldest first.
    public func revisions(_ ref: String) throws -> [RevisionInfo] {
        try read { db in
            let header = try Self.resolve(db, ref: ref)
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(Self.revisionColumns) FROM revision WHERE entry_id = ? ORDER BY number",
                arguments: [header.id])
            return try rows.map { try Self.decodeRevision($0, slug: header.slug, live: header.live) }
        }
    }

    /// The content of revision `number` of the entry.
    public func content(_ ref: String, revision number: Int) throws -> Content {
        try read { db in
            let header = try Self.resolve(db, ref: ref)
            guard number >= 1, number <= (try Self.maxRevision(db, entryID: header.id)) else {
                throw StoreError.unknownRevision(slug: header.slug, number: number)
            }
            return try Self.fetchContent(db, entryID: header.id, number: number)
        }
    }

    // MARK: Shared readers

    /// The query behind `list`, kept apart so that a test can check its plan.
    static func listSQL(_ query: ListQuery) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let kind = query.kind {
            conditions.append("e.kind = ?")
            _ = arguments.append(contentsOf: [kind.rawValue])
        }
        if let status = query.status {
            conditions.append("r.status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        if query.scheduled {
            // The IN list comes from the small `revision_scheduled` index (migration 0010), so
            // the join starts from the few scheduled entries instead of probing every head.
            conditions.append("""
                (r.publish_at IS NOT NULL OR r.expire_at IS NOT NULL) \
                AND e.id IN (SELECT entry_id FROM revision WHERE publish_at IS NOT NULL OR expire_at IS NOT NULL)
                """)
        }
        var sql = "SELECT \(Self.viewColumns) FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY " + query.sort.orderBy
        if let limit = query.limit {
            sql += " LIMIT ? OFFSET ?"
            _ = arguments.append(contentsOf: [limit, max(0, query.offset)])
        }
        return (sql, arguments)
    }

    static let viewColumns = """
        e.id, e.slug, e.kind, e.head, e.live, e.created_at, e.updated_at, r.number, r.status, r.title, r.body, \
        r.summary, r.image_url, r.source_url, r.edited_at, r.published_at, r.related, r.articles, \
        r.publish_at, r.expire_at, r.scheduled_revision
        """

    static let revisionColumns = """
        entry_id, number, parent, origin, status, author, created_at, message, hash, upstream, lines_added, lines_removed, \
        publish_at, expire_at
        """

    static func resolve(_ db: Database, ref: String) throws -> EntryHeader {
        let header: EntryHeader?
        if Slug.isNumericID(ref), let id = Int64(ref) {
            header = try fetchHeader(db, id: id)
        } else {
            let row = try Row.fetchOne(
                db, sql: "SELECT id, slug, kind, head, live, created_at, updated_at FROM entry WHERE slug = ?",
                arguments: [ref])
            header = try row.map(decodeHeader)
        }
        guard let header else { throw StoreError.unknownEntry(ref: ref) }
        return header
    }

    static func fetchHeader(_ db: Database, id: Int64) throws -> EntryHeader? {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, slug, kind, head, live, created_at, updated_at FROM entry WHERE id = ?"),
            arguments: [id])
        return try row.map(decodeHeader)
    }

    static func requireHeader(_ db: Database, id: Int64) throws -> EntryHeader {
        guard let header = try fetchHeader(db, id: id) else { throw StoreError.unknownEntry(ref: String(id)) }
        return header
    }

    static func decodeHeader(_ row: Row) throws -> EntryHeader {
        EntryHeader(
            id: row["id"], slug: row["slug"], kind: try enumValue(row["kind"]), head: row["head"],
            live: row["live"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    /// `known` pairs link columns with the links they encode (`encodeLinks`): a column holding
    /// one of them is not decoded again.
    static func fetchContent(_ db: Database, entryID: Int64, number: Int, known: [(json: String, links: [LinkRef])] = []) throws -> Content {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT status, title, body, summary, image_url, source_url, edited_at, published_at, related, articles,
                       publish_at, expire_at, scheduled_revision
                FROM revision WHERE entry_id = ? AND number = ?
                """),
            arguments: [entryID, number])
        else { throw StoreError.unknownRevision(slug: String(entryID), number: number) }
        return try decodeContent(row, known: known)
    }

    /// The content of a revision row; with `links` false its link lists are left empty.
    static func decodeContent(_ row: Row, links: Bool = true, known: [(json: String, links: [LinkRef])] = []) throws -> Content {
        func decoded(_ column: String) throws -> [LinkRef] {
            guard links else { return [] }
            let text: String = row[column]
            return try known.first { $0.json == text }?.links ?? decodeLinks(text)
        }
        return Content(
            status: try enumValue(row["status"]), title: row["title"], body: row["body"], summary: row["summary"],
            imageURL: row["image_url"], sourceURL: row["source_url"], editedAt: row["edited_at"],
            publishedAt: row["published_at"], related: try decoded("related"), articles: try decoded("articles"),
            schedule: decodeSchedule(row))
    }

    /// The schedule columns of a revision row (migration 0008).
    static func decodeSchedule(_ row: Row) -> Schedule {
        Schedule(publishAt: row["publish_at"], expireAt: row["expire_at"], pinnedRevision: row["scheduled_revision"])
    }

    static func decodeView(_ row: Row, links: Bool = true) throws -> (EntryHeader, Int, Content) {
        (try decodeHeader(row), row["number"], try decodeContent(row, links: links))
    }

    static func decodeRevision(_ row: Row, slug: String, live: Int?) throws -> RevisionInfo {
        let number: Int = row["number"]
        return RevisionInfo(
            entryID: row["entry_id"], slug: slug, number: number, parent: row["parent"],
            origin: try enumValue(row["origin"]), status: try enumValue(row["status"]), author: row["author"],
            createdAt: row["created_at"], message: row["message"], hash: row["hash"], upstream: row["upstream"],
            live: live == number, linesAdded: row["lines_added"], linesRemoved: row["lines_removed"],
            publishAt: row["publish_at"], expireAt: row["expire_at"])
    }

    static func decodeLinks(_ text: String) throws -> [LinkRef] {
        if text == "[]" { return [] }
        return try linkDecoder.decode([LinkRef].self, from: Data(text.utf8))
    }

    /// One decoder for the link columns; decoding does not change it.
    private static let linkDecoder = JSONDecoder()

    static func enumValue<T: RawRepresentable>(_ raw: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw StoreError.invalidField(name: String(describing: T.self).lowercased(), reason: "unknown value '\(raw)' in the store")
        }
        return value
    }

    /// Resolves links against the entries the store holds: by slug, else by the URL an entry
    /// was imported from; articles also carry their target's summary and image.
    static func view(_ db: Database, header: EntryHeader, revision: Int, content: Content) throws -> EntryView {
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
