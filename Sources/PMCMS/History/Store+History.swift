import Foundation

/// Filters for the store-wide change log.
public struct LogQuery: Sendable, Equatable {
    /// Only revisions made at or after this UTC timestamp (`YYYY-MM-DDTHH:MM:SSZ`).
    public var since: String?
    public var author: String?
    public var origin: Origin?
    public var limit: Int?

    public init(since: String? = nil, author: String? = nil, origin: Origin? = nil, limit: Int? = nil) {
        self.since = since
        self.author = author
        self.origin = origin
        self.limit = limit
    }

    /// Normalises a date or timestamp to the stored form, so that a `since` of `2026-11-29` compares
    /// as text against `created_at`; nil when `text` is not a date.
    public static func normalizedSince(_ text: String) -> String? {
        Timestamp.parse(text).map(Timestamp.format)
    }
}

/// Two revisions of one entry, read for `diff`.
public struct RevisionPair: Sendable {
    public var header: EntryHeader
    public var old: RevisionInfo
    public var new: RevisionInfo
    public var oldContent: Content
    public var newContent: Content
}

/// One revision of an entry's line of descent, as blame reads it: metadata and the raw snapshot.
public struct AncestorRevision: Sendable, Hashable {
    public var info: RevisionInfo
    /// Each field's value as stored, in `SnapshotField.allCases` order: links as their JSON.
    public var fields: [String?]
    public var body: String
}

extension ContentStore {
    /// The store-wide change log, newest first.
    ///
    /// Ordered by `created_at` then id, which the `revision_by_time` index (and, with an author,
    /// `revision_by_author`) delivers in order, so `LIMIT` stops after the rows it returns.
    public func log(_ query: LogQuery) throws -> [RevisionInfo] {
        try read { db in
            try db.fetchAll(Self.logStatement(query)).map { row in
                try Self.decodeRevision(row, slug: try row["slug"], live: try row["live"])
            }
        }
    }

    /// SQLite's plan for a log query, so that tests can check it walks an index instead of
    /// sorting every revision.
    public func logQueryPlan(_ query: LogQuery) throws -> String {
        try read { db in
            try db.fetchAll("EXPLAIN QUERY PLAN \(literal: Self.logStatement(query))")
                .map { row -> String in try row["detail"] }
                .joined(separator: "\n")
        }
    }

    static func logStatement(_ query: LogQuery) -> SQLQuery {
        var conditions: [SQLQuery] = []
        if let since = query.since { conditions.append("r.created_at >= \(since)") }
        if let author = query.author { conditions.append("r.author = \(author)") }
        if let origin = query.origin { conditions.append("r.origin = \(origin.rawValue)") }
        var sql: SQLQuery = """
            SELECT r.entry_id, r.number, r.parent, r.origin, r.status, r.author, r.created_at, r.message, r.hash,
                   r.upstream, r.lines_added, r.lines_removed, r.publish_at, r.expire_at, e.slug, e.live
            FROM revision r JOIN entry e ON e.id = r.entry_id
            """
        if !conditions.isEmpty { sql += " WHERE \(literal: conditions.joined(separator: " AND "))" }
        sql += " ORDER BY r.created_at DESC, r.id DESC"
        if let limit = query.limit { sql += " LIMIT \(limit)" }
        return sql
    }

    /// The revision number `name` stands for in the entry `ref`.
    public func revisionNumber(_ ref: String, _ name: RevisionName) throws -> Int {
        try read { db in try Self.resolveRevision(db, header: try Self.resolve(db, ref: ref), name) }
    }

    /// Reads the two revisions `diff` compares, and nothing else.
    ///
    /// With no names: the head's parent against the head (the head against itself for an entry
    /// with one revision). With one name: that revision against the head.
    public func revisionPair(_ ref: String, from: RevisionName?, to: RevisionName?) throws -> RevisionPair {
        try read { db in
            let header = try Self.resolve(db, ref: ref)
            let newNumber = try Self.resolveRevision(db, header: header, to ?? .latest)
            let oldNumber: Int
            if let from {
                oldNumber = try Self.resolveRevision(db, header: header, from)
            } else {
                oldNumber = try Self.fetchRevisionInfo(db, header: header, number: newNumber).parent ?? newNumber
            }
            return RevisionPair(
                header: header,
                old: try Self.fetchRevisionInfo(db, header: header, number: oldNumber),
                new: try Self.fetchRevisionInfo(db, header: header, number: newNumber),
                oldContent: try Self.fetchContent(db, entryID: header.id, number: oldNumber),
                newContent: try Self.fetchContent(db, entryID: header.id, number: newNumber))
        }
    }

    /// The head and its ancestors via `parent`, oldest first: the line of descent blame walks.
    /// Upstream revisions that were never merged are not on it.
    public func ancestry(_ ref: String) throws -> (header: EntryHeader, revisions: [AncestorRevision]) {
        try read { db in
            let header = try Self.resolve(db, ref: ref)
            // One recursive query reads exactly the revisions on the line, by the
            // (entry_id, number) index, instead of every revision of the entry.
            let rows = try db.fetchAll("""
                    WITH RECURSIVE line(n) AS (
                        SELECT \(header.head)
                        UNION ALL
                        SELECT r.parent FROM revision r JOIN line ON r.entry_id = \(header.id) AND r.number = line.n
                        WHERE r.parent IS NOT NULL AND r.parent < line.n
                    )
                    SELECT r.entry_id, r.number, r.parent, r.origin, r.status, r.author, r.created_at, r.message,
                           r.hash, r.upstream, r.lines_added, r.lines_removed, r.title, r.body, r.summary,
                           r.image_url, r.source_url, r.edited_at, r.published_at, r.related, r.articles,
                           r.publish_at, r.expire_at
                    FROM line JOIN revision r ON r.entry_id = \(header.id) AND r.number = line.n
                    ORDER BY r.number
                    """)
            let revisions = try rows.map { row in
                let fields = try SnapshotField.allCases.map { field -> String? in try row[field.rawValue] }
                return AncestorRevision(
                    info: try Self.decodeRevision(row, slug: header.slug, live: header.live), fields: fields,
                    body: try row["body"])
            }
            return (header, revisions)
        }
    }

    static func resolveRevision(_ db: any StoreSession, header: EntryHeader, _ name: RevisionName) throws -> Int {
        switch name {
        case .latest:
            return header.head
        case .live:
            guard let live = header.live else { throw RevisionNameError.notPublished(slug: header.slug) }
            return live
        case .upstream:
            guard let number: Int = try db.fetchValue("SELECT MAX(number) FROM revision WHERE entry_id = \(header.id) AND upstream = 1")
            else { throw RevisionNameError.noUpstream(slug: header.slug) }
            return number
        case .number(let n):
            guard n >= 1, n <= (try maxRevision(db, entryID: header.id)) else {
                throw StoreError.unknownRevision(slug: header.slug, number: n)
            }
            return n
        }
    }

    static func fetchRevisionInfo(_ db: any StoreSession, header: EntryHeader, number: Int) throws -> RevisionInfo {
        guard let row = try db.fetchOne("SELECT \(sql: revisionColumns) FROM revision WHERE entry_id = \(header.id) AND number = \(number)")
        else { throw StoreError.unknownRevision(slug: header.slug, number: number) }
        return try decodeRevision(row, slug: header.slug, live: header.live)
    }
}
