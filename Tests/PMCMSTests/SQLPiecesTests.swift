import Foundation
import GRDB
import Testing
@testable import PMCMS

/// The queries built from pieces (list, log, stream, review queue) are `SQLQuery` values: every
/// value a person chose is a bound argument, never text in the statement.
@Suite("Queries built from pieces")
struct SQLPiecesTests {
    /// The statement text and its arguments, as SQLite receives them.
    static func built(_ sql: SQLQuery) throws -> (sql: String, arguments: StatementArguments) {
        let (text, values) = sql.rendered(for: .sqlite)
        return (text, StatementArguments(values.map(SQLiteSession.databaseValue)))
    }

    @Test("filters and limits are bound in order; the statement holds none of them")
    func valuesAreBound() throws {
        let author = "o'brien; DROP TABLE entry --"
        let log = try Self.built(ContentStore.logStatement(LogQuery(since: "2026-01-01", author: author, origin: .edit, limit: 7)))
        #expect(log.arguments == ["2026-01-01", author, "edit", 7])
        #expect(!log.sql.contains("o'brien") && !log.sql.contains("2026") && log.sql.hasSuffix("LIMIT ?"))

        let list = try Self.built(ContentStore.listSQL(ListQuery(kind: .question, status: .draft, limit: 20, offset: -3)))
        #expect(list.arguments == ["question", "draft", 20, 0])
        #expect(list.sql.contains("e.kind = ? AND r.status = ?") && list.sql.hasSuffix("LIMIT ? OFFSET ?"))

        var live = StreamQuery(selection: .live, kind: .article, since: "2026-02-03", order: .newestEdited, limit: 5)
        live.now = "2026-03-01T00:00:00Z"
        let stream = try Self.built(ContentStore.streamSQL(live))
        #expect(stream.arguments == [
            "2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", "article",
            "2026-02-03T00:00:00Z", 5,
        ])
        #expect(!stream.sql.contains("2026"))

        let queue = try Self.built(ContentStore.reviewQueueSQL(statuses: [.inReview, .approved], limit: 3))
        #expect(queue.arguments == ["in_review", "approved", 3])
        let empty = try Self.built(ContentStore.reviewQueueSQL(statuses: [], limit: nil))
        #expect(empty.arguments == ["in_review"], "no status asked: the review queue's own")
    }
}
