import Foundation
public import PMCMS
import PostgresNIO
import Schema

/// `pmcms verify` on a PostgreSQL store: the invariants `ContentStore.verify` checks on SQLite,
/// read in one snapshot. (PostgreSQL checks its own pages and foreign keys; there is no search
/// index here yet.)
public enum PostgresVerify {
    /// The triggers that keep the store's guarantees (migration 0001_postgres_initial).
    static let triggers: [(table: String, name: String, guards: String)] = [
        ("revision", "revision_is_append_only", "revisions are no longer protected against rewriting"),
        ("revision", "revision_is_not_truncated", "revisions are no longer protected against TRUNCATE"),
        ("revision", "revision_numbers_are_contiguous", "revision numbers are no longer kept contiguous"),
        ("entry", "entry_head_moves_forward", "heads may move backwards"),
        ("account_event", "account_event_append_only", "the account log is no longer protected against rewriting"),
        ("account_event", "account_event_is_not_truncated", "the account log is no longer protected against TRUNCATE"),
    ]

    /// Verifies the store at `url`. Synchronous: see `Blocking`.
    public static func verify(url: String) throws -> VerifyReport {
        let session = try PostgresSession(url: url)
        defer { try? session.close() }
        return try verify(session)
    }

    public static func verify(_ session: PostgresSession) throws -> VerifyReport {
        let applied = try PostgresMigrator.applied(session)
        if applied.isEmpty {
            throw PostgresStoreError.cannotConnect(location: session.location.description, reason: "the database holds no pmcms store")
        }
        var problems: [String] = []
        let known = PostgresSchema.migrations.map(\.identifier)
        let unknown = Set(applied).subtracting(known).sorted()
        if !unknown.isEmpty { throw PostgresStoreError.newerStore(location: session.location.description, unknown: unknown) }
        if applied.count < known.count {
            problems.append("the store lacks migrations \(known.filter { !applied.contains($0) }.joined(separator: ", ")); `pmcms store copy` or a newer command migrates it")
            return VerifyReport(entries: 0, revisions: 0, problems: problems)
        }
        try session.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { _ = try? session.query("ROLLBACK") }
        let present = Set(try session.query("""
            SELECT c.relname::text || '.' || t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = current_schema()::regnamespace
            """).map { try $0.decode(String.self) })
        for trigger in triggers where !present.contains("\(trigger.table).\(trigger.name)") {
            problems.append("the trigger \(trigger.name) is missing or disabled: \(trigger.guards)")
        }
        let entries = Int(try session.query("SELECT COUNT(*) FROM entry").first?.decode(Int64.self) ?? 0)
        let revisions = Int(try session.query("SELECT COUNT(*) FROM revision").first?.decode(Int64.self) ?? 0)
        try numbersAndPointers(session, into: &problems)
        try hashes(session, into: &problems)
        try links(session, into: &problems)
        return VerifyReport(entries: entries, revisions: revisions, problems: problems)
    }

    /// Contiguous numbers 1…N, a head that exists and is not an unmerged upstream revision, a
    /// live pointer at a published revision: the checks and words of SQLite's `verify`.
    private static func numbersAndPointers(_ session: PostgresSession, into problems: inout [String]) throws {
        try session.query("""
            DECLARE pmcms_verify NO SCROLL CURSOR FOR
            SELECT e.slug, e.head, e.live, COUNT(r.id), COALESCE(MAX(r.number), 0), COALESCE(MIN(r.number), 0),
                   (SELECT status FROM revision l WHERE l.entry_id = e.id AND l.number = e.live),
                   (SELECT upstream FROM revision h WHERE h.entry_id = e.id AND h.number = e.head)
            FROM entry e LEFT JOIN revision r ON r.entry_id = e.id GROUP BY e.id ORDER BY e.id
            """)
        while true {
            let rows = try session.query("FETCH 500 FROM pmcms_verify")
            if rows.isEmpty { break }
            for row in rows {
                let (slug, head, live, count, max, min, liveStatus, headUpstream) = try row.decode(
                    (String, Int64, Int64?, Int64, Int64, Int64, String?, Int64?).self)
                if count == 0 { problems.append("\(slug): has no revision"); continue }
                if min != 1 || max != count { problems.append("\(slug): revision numbers are not 1…\(count) (\(min)…\(max))") }
                if head < 1 || head > max { problems.append("\(slug): head r\(head) does not exist") }
                if let live, liveStatus != Status.published.rawValue { problems.append("\(slug): live r\(live) is not a published revision") }
                if headUpstream == 1 { problems.append("\(slug): head r\(head) is an unmerged upstream revision") }
            }
        }
        try session.query("CLOSE pmcms_verify")
    }

    /// Each revision's hash against what it covers, by the scheme it was written with.
    private static func hashes(_ session: PostgresSession, into problems: inout [String]) throws {
        let firstOfScheme2 = try session.query("SELECT first_revision_id FROM revision_hash_scheme WHERE scheme = 2")
            .first?.decode(Int64.self) ?? 1
        try session.query("""
            DECLARE pmcms_verify NO SCROLL CURSOR FOR
            SELECT r.id, e.slug, e.kind, r.entry_id, r.number, r.parent, r.origin, r.author, r.created_at, r.message,
                   r.upstream, r.lines_added, r.lines_removed, r.hash, r.status, r.title, r.body, r.summary,
                   r.image_url, r.source_url, r.edited_at, r.published_at, r.related, r.articles,
                   r.publish_at, r.expire_at, r.scheduled_revision
            FROM revision r JOIN entry e ON e.id = r.entry_id ORDER BY r.id
            """)
        let decoder = JSONDecoder()
        while true {
            let rows = try session.query("FETCH 200 FROM pmcms_verify")
            if rows.isEmpty { break }
            for row in rows {
                let columns = row.makeRandomAccess()
                let id = try columns[0].decode(Int64.self), slug = try columns[1].decode(String.self)
                let number = try columns[4].decode(Int64.self)
                guard let kind = Kind(rawValue: try columns[2].decode(String.self)),
                      let status = Status(rawValue: try columns[14].decode(String.self)),
                      let related = try? decoder.decode([LinkRef].self, from: Data(try columns[22].decode(String.self).utf8)),
                      let articles = try? decoder.decode([LinkRef].self, from: Data(try columns[23].decode(String.self).utf8)) else {
                    problems.append("corrupt store: \(slug): r\(number) cannot be read (a field holds a value pmcms never writes)")
                    continue
                }
                let parent = try columns[5].decode(Int64?.self)
                if let parent, parent >= number { problems.append("\(slug): r\(number) has parent r\(parent), not an earlier one") }
                let content = Content(
                    status: status, title: try columns[15].decode(String.self), body: try columns[16].decode(String.self),
                    summary: try columns[17].decode(String?.self), imageURL: try columns[18].decode(String?.self),
                    sourceURL: try columns[19].decode(String?.self), editedAt: try columns[20].decode(String?.self),
                    publishedAt: try columns[21].decode(String?.self), related: related, articles: articles,
                    schedule: Schedule(publishAt: try columns[24].decode(String?.self), expireAt: try columns[25].decode(String?.self),
                                       pinnedRevision: try columns[26].decode(Int64?.self).map { Int($0) }))
                let expected: String
                if id >= firstOfScheme2 {
                    expected = ContentStore.revisionHash(kind: kind, content: content, metadata: RevisionMetadata(
                        entryID: try columns[3].decode(Int64.self), number: Int(number), parent: parent.map { Int($0) },
                        origin: try columns[6].decode(String.self), author: try columns[7].decode(String.self),
                        createdAt: try columns[8].decode(String.self), message: try columns[9].decode(String?.self),
                        upstream: try columns[10].decode(Int64.self) == 1,
                        linesAdded: Int(try columns[11].decode(Int64.self)), linesRemoved: Int(try columns[12].decode(Int64.self))))
                } else {
                    expected = ContentStore.contentHash(kind: kind, content: content)
                }
                if expected != (try columns[13].decode(String.self)) {
                    problems.append("\(slug): r\(number)'s hash does not match its snapshot")
                }
            }
        }
        try session.query("CLOSE pmcms_verify")
    }

    /// The link table holds the links of each entry's head.
    private static func links(_ session: PostgresSession, into problems: inout [String]) throws {
        try session.query("""
            DECLARE pmcms_verify NO SCROLL CURSOR FOR
            SELECT e.slug, r.related, r.articles, (SELECT COUNT(*) FROM link l WHERE l.entry_id = e.id)
            FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head ORDER BY e.id
            """)
        let decoder = JSONDecoder()
        while true {
            let rows = try session.query("FETCH 500 FROM pmcms_verify")
            if rows.isEmpty { break }
            for row in rows {
                let (slug, related, articles, count) = try row.decode((String, String, String, Int64).self)
                guard let relatedLinks = try? decoder.decode([LinkRef].self, from: Data(related.utf8)),
                      let articleLinks = try? decoder.decode([LinkRef].self, from: Data(articles.utf8)) else {
                    problems.append("corrupt store: \(slug): the head's links are not valid JSON")
                    continue
                }
                if relatedLinks.count + articleLinks.count != Int(count) { problems.append("\(slug): the link table does not match the head's links") }
            }
        }
        try session.query("CLOSE pmcms_verify")
    }
}
